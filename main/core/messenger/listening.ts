/**
 * This peer's listening point: started once an identity exists, its failure kept (not just
 * thrown) so the app can show why nobody can reach it — typically a port already in use.
 */
import type { LockstepError } from '../errors';
import { reachableAddresses } from '../net/address';
import type { Listener } from '../net/listener';

export interface NetworkStatus {
  listening: boolean;
  host: string | null;
  port: number | null;
  addresses: string[];
  error: LockstepError | null;
}

export class ListeningPoint {
  private listener: Listener | null = null;
  private error: LockstepError | null = null;
  private host = '0.0.0.0';

  constructor(private readonly makeListener: () => Listener) {}

  get port(): number | null {
    return this.listener?.address?.port ?? null;
  }

  /** Listen (once); later calls return where it already listens. */
  async start(host: string, port: number): Promise<{ host: string; port: number }> {
    if (this.listener?.address) return { host: this.host, port: this.listener.address.port };
    const listener = this.makeListener();
    try {
      const bound = await listener.listen(host, port);
      this.listener = listener;
      this.host = host;
      this.error = null;
      return { host, port: bound.port };
    } catch (err) {
      this.error = err as LockstepError;
      throw err;
    }
  }

  status(): NetworkStatus {
    const bound = this.listener?.address ?? null;
    return {
      listening: bound !== null,
      host: bound ? this.host : null,
      port: bound?.port ?? null,
      addresses: bound ? reachableAddresses(this.host) : [],
      error: this.error,
    };
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
  }
}
