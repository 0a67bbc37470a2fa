/**
 * The key exchange of one connection as the hellos on the wire show it: which groups the client
 * offered, which key shares each side sent (and what they are made of), and which group the
 * server chose. Read from the bytes, so it is the same on every runtime and for both roles.
 */
import type { HelloSummary, KeyExchangeSummary, KeyShareSummary } from '../../../shared/events';
import { isPostQuantum, keySharePartsOf, type ShareSide } from '../../../shared/key-share-parts';

function shareOf(share: HelloSummary['keyShares'][number], side: ShareSide): KeyShareSummary {
  return { group: share.group, length: share.length, parts: keySharePartsOf(share.group, share.length, side) };
}

export class KeyExchangeTracker {
  private client: { hello: HelloSummary; bytes: number } | null = null;
  private server: { hello: HelloSummary; bytes: number } | null = null;
  private retried = false;

  /** A hello seen on the wire; `bytes`: the whole handshake message, header included. */
  onHello(hello: HelloSummary, bytes: number): void {
    if (hello.handshakeType === 'client_hello') this.client = { hello, bytes };
    else if (hello.handshakeType === 'hello_retry_request') this.retried = true;
    else this.server = { hello, bytes };
  }

  /** Null until a ClientHello was seen (an engine running without its observer sees none). */
  summary(): KeyExchangeSummary | null {
    if (!this.client) return null;
    const serverShare = this.server?.hello.keyShares[0];
    const chosen = serverShare?.group ?? null;
    return {
      offered: [...this.client.hello.groups],
      clientShares: this.client.hello.keyShares.map((s) => shareOf(s, 'client')),
      serverShare: serverShare ? shareOf(serverShare, 'server') : null,
      chosen,
      postQuantum: isPostQuantum(chosen),
      helloRetry: this.retried,
      clientHelloBytes: this.client.bytes,
      serverHelloBytes: this.server?.bytes ?? 0,
    };
  }
}
