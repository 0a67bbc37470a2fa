/**
 * The Wireshark export's recorder: a connection hook (`MessengerOptions.hooks`) that keeps what
 * the tap saw of each connection — the bytes both ways, in order, with their time — and the
 * connection's TLS traffic secrets from the keylog, so the conversation can be written out as a
 * pcap and, only when asked, an SSLKEYLOGFILE. Bounded: a byte budget per connection (past it
 * the capture is marked truncated and stops growing), a few keylog lines, and only the most
 * recent connections.
 */
import type { Withheld } from '../../../shared/events';
import { LockstepError } from '../errors';
import type { ConnectionHook, TappedConnection } from '../net/handshake';
import { isTrafficSecretLine, sslKeylogFile } from './keylog-file';
import { type PcapChunk, type PcapEndpoint, writePcap } from './pcap';

export interface CaptureOptions {
  /** Payload bytes kept per connection (both directions). Default 16 MiB. */
  maxBytesPerConnection?: number;
  /** Connections kept, oldest closed ones forgotten first. Default 64. */
  maxConnections?: number;
  /** Keep the keylog secrets too (for the .keys file). Default false: a pcap only. */
  keepKeys?: boolean;
  /** Called once a connection has closed and its capture is complete. */
  onClosed?: (conn: string) => void;
}

export interface ConnectionCapture {
  conn: string;
  role: 'dialer' | 'listener';
  client: PcapEndpoint | null;
  server: PcapEndpoint | null;
  openedAt: number;
  closedAt: number | null;
  chunks: PcapChunk[];
  bytes: number;
  truncated: boolean;
  keylog: string[];
  /** The connection's plaintext gate: its keys are plaintext too, so they follow it. */
  disclosure: { withheld(): Withheld | null };
}

/**
 * A connection's export: the pcap (ciphertext and the handshake, safe to share) and its keys
 * file — null unless keys are kept and were logged, and never for a connection whose peer was
 * not trusted (`keysWithheld` says why), since the keys would decrypt what that peer sent.
 */
export interface CaptureExport {
  pcap: Buffer;
  keys: string | null;
  keysWithheld: Withheld | null;
}

export interface CaptureRecorder {
  /** Hand this to `MessengerOptions.hooks` (or `HandshakeContext.hooks`). */
  hooks: (c: TappedConnection) => ConnectionHook;
  /** The connection as a pcap, and its keys file (null unless keys are kept and were logged). */
  exportCapture(conn: string): CaptureExport;
  connections(): string[];
  get(conn: string): ConnectionCapture | undefined;
}

const MAX_KEYLOG_LINES = 32;

const now = () => performance.timeOrigin + performance.now();

export function createCaptureRecorder(options: CaptureOptions = {}): CaptureRecorder {
  const maxBytes = options.maxBytesPerConnection ?? 16 * 1024 * 1024;
  const maxConnections = options.maxConnections ?? 64;
  const captures = new Map<string, ConnectionCapture>();

  const forgetOldest = () => {
    while (captures.size > maxConnections) {
      const closed = [...captures.values()].find((c) => c.closedAt !== null) ?? captures.values().next().value!;
      captures.delete(closed.conn);
    }
  };

  const hooks = ({ conn, role, tap, disclosure }: TappedConnection): ConnectionHook => {
    const local = tap.localAddress ? { address: tap.localAddress, port: tap.localPort ?? 0 } : null;
    const remote = tap.remoteAddress ? { address: tap.remoteAddress, port: tap.remotePort ?? 0 } : null;
    const c: ConnectionCapture = {
      conn,
      role,
      client: role === 'dialer' ? local : remote,
      server: role === 'dialer' ? remote : local,
      openedAt: now(),
      closedAt: null,
      chunks: [],
      bytes: 0,
      truncated: false,
      keylog: [],
      disclosure,
    };
    captures.delete(conn);
    captures.set(conn, c);
    forgetOldest();
    return {
      onBytes: (dir, chunk) => {
        if (c.truncated) return;
        if (c.bytes + chunk.length > maxBytes) {
          c.truncated = true;
          return;
        }
        // Copied: the stream may reuse the buffer once the chunk has been handled.
        const from = (dir === 'out') === (role === 'dialer') ? 'client' : 'server';
        c.chunks.push({ from, at: now(), bytes: Buffer.from(chunk) });
        c.bytes += chunk.length;
      },
      onKeylog: (line) => {
        if (!options.keepKeys || c.keylog.length >= MAX_KEYLOG_LINES) return;
        const text = line.toString('utf8').trim();
        if (isTrafficSecretLine(text)) c.keylog.push(text);
      },
      onClose: () => {
        c.closedAt = now();
        options.onClosed?.(conn);
      },
    };
  };

  return {
    hooks,
    exportCapture(conn) {
      const c = captures.get(conn);
      if (!c) throw new LockstepError('NOT_FOUND', `No capture of connection ${conn}: it was not recorded or is too old.`);
      const pcap = writePcap({ client: c.client, server: c.server, openedAt: c.openedAt, closedAt: c.closedAt, chunks: c.chunks });
      const withheld = options.keepKeys ? c.disclosure.withheld() : null;
      const keys = options.keepKeys && c.keylog.length && !withheld ? sslKeylogFile(c.keylog) : null;
      return { pcap, keys, keysWithheld: withheld };
    },
    connections: () => [...captures.keys()],
    get: (conn) => captures.get(conn),
  };
}
