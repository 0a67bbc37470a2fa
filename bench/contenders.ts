/** The benchmark's raw-TLS contenders on fresh identities: the baseline server and its connections. */
import { createIdentity, type Identity } from '../main/core/identity/identity';
import { type BaselineConnection, type BaselineOptions, BaselineServer, connectBaseline } from './baseline';
import { scratchDir } from './stats';

export interface Creds {
  server: Identity;
  client: Identity;
  dirs: string[];
}

export async function makeCreds(): Promise<Creds> {
  const dirs = [scratchDir('lockstep-bench-s-'), scratchDir('lockstep-bench-c-')];
  return { server: await createIdentity(dirs[0]!, 'Baseline Server'), client: await createIdentity(dirs[1]!, 'Baseline Client'), dirs };
}

export class Baseline {
  private constructor(
    readonly server: BaselineServer,
    private readonly creds: Creds,
    private readonly options: BaselineOptions,
  ) {}

  static async start(creds: Creds, options: BaselineOptions): Promise<Baseline> {
    return new Baseline(await BaselineServer.start(creds.server, creds.client.pin, options), creds, options);
  }

  connect(): Promise<BaselineConnection> {
    return connectBaseline(this.server.port, this.creds.client, this.creds.server.pin, this.options);
  }

  async connectOnce(): Promise<{ secureMs: number; readyMs: number }> {
    const conn = await this.connect();
    await conn.close();
    return { secureMs: conn.secureMs, readyMs: conn.readyMs };
  }
}

