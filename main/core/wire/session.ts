/**
 * A session: the Lockstep protocol on one TLS socket whose peer has already passed the pin check.
 * Both sides send `hello` first; the session is "ready" only once the peer's hello has arrived
 * (TLS 1.3 lets a dialer finish its handshake before the listener has judged its certificate, so
 * a finished handshake alone proves nothing). Malformed frames get an `error` frame; past a small
 * budget the session closes. Keepalive pings catch a peer that vanished without a FIN.
 */
import { EventEmitter } from 'node:events';
import type { TLSSocket } from 'node:tls';

import type { CloseBy, EventInput } from '../../../shared/events';
import { LockstepError } from '../errors';
import { explainTlsError } from '../net/tls-errors';
import { MALFORMED_FRAME_BUDGET, TIMEOUTS } from '../policy';
import { quotePeerText } from '../trust/names';
import { encodeFrame, FrameDecoder } from './framing';
import { type Frame, type FrameOf, parseFrame, PROTOCOL_VERSION } from './protocol';

/** How long a refused peer has to read our last `error` frame before the socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;
/** Socket codes of a connection dropped without a reason (a reset, or writing into one). */
const DROPPED_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);
/** How often silence is checked (at most: a shorter ping interval checks more often). */
const KEEPALIVE_CHECK_MS = 5_000;

export interface SessionOptions {
  conn: string;
  localName: string;
  emit: (event: EventInput) => void;
  /** Idle time before a ping is sent. */
  pingIntervalMs?: number;
  /** Silence (no frame at all) after which the peer is presumed gone. */
  idleTimeoutMs?: number;
  /** How long to wait for the peer's hello: long for a dialer (the listener may be asking its user), short for a listener. */
  helloTimeoutMs?: number;
  /** Malformed frames tolerated before the session closes. */
  malformedBudget?: number;
  /**
   * Every byte the session writes to (out) or reads from (in) the TLS socket, for the plaintext
   * witness of this connection (its Connection's, handed in by whoever attaches the session).
   */
  onAppBytes?: (dir: 'in' | 'out', bytes: Buffer) => void;
  /** Bytes already read from the socket by an earlier stage (pairing) that belong to this session. */
  initialBytes?: Buffer;
  /**
   * The dialer's side: only the listener's hello lets it in (PROTOCOL.md §2), and a listener that
   * refuses closes without a word. A close from the other side before that hello is reported as
   * NOT_LET_IN, so the dialer's user learns what it most likely means.
   */
  admittedByHello?: boolean;
}

export interface CloseInfo {
  by: CloseBy;
  code: string | null;
  reason: string;
}

interface SessionEvents {
  ready: [hello: FrameOf<'hello'>];
  /** The `msg` frames of one read, in order (a run of them: any other frame ends the run). */
  messages: [msgs: FrameOf<'msg'>[]];
  /** The `ack` frames of one read, in order. */
  acks: [ids: string[]];
  closed: [info: CloseInfo];
}

export class Session extends EventEmitter<SessionEvents> {
  peerHello: FrameOf<'hello'> | null = null;
  closeInfo: CloseInfo | null = null;
  private readonly decoder = new FrameDecoder();
  /** Frames of the read being processed, handed on together (group commit, see Delivery). */
  private runMsgs: FrameOf<'msg'>[] = [];
  private runAcks: string[] = [];
  private malformed = 0;
  private pingCount = 0;
  private lastHeard = Date.now();
  private lastCheck = Date.now();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly opts: Required<Omit<SessionOptions, 'onAppBytes' | 'initialBytes' | 'admittedByHello'>>;
  private readonly admittedByHello: boolean;
  private readonly onAppBytes: ((dir: 'in' | 'out', bytes: Buffer) => void) | undefined;

  constructor(
    private readonly socket: TLSSocket,
    options: SessionOptions,
  ) {
    super();
    const { onAppBytes, initialBytes, admittedByHello, ...rest } = options;
    this.admittedByHello = admittedByHello === true;
    this.opts = { pingIntervalMs: TIMEOUTS.pingMs, idleTimeoutMs: TIMEOUTS.idleMs, helloTimeoutMs: TIMEOUTS.helloMs, malformedBudget: MALFORMED_FRAME_BUDGET, ...rest };
    this.onAppBytes = onAppBytes;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: Error & { code?: string }) =>
      this.fail('error', err.code ?? 'TLS_ERROR', explainTlsError(err)),
    );
    socket.on('end', () => this.finish({ by: 'remote', code: null, reason: 'the peer closed the connection' }));
    socket.on('close', () => this.finish({ by: 'remote', code: null, reason: 'the connection closed' }));
    this.send({ type: 'hello', v: PROTOCOL_VERSION, name: options.localName, caps: [] });
    this.timers.push(setTimeout(() => this.onHelloTimeout(), this.opts.helloTimeoutMs));
    this.timers.push(setInterval(() => this.keepalive(), Math.min(this.opts.pingIntervalMs, KEEPALIVE_CHECK_MS)));
    // A socket handed over paused (after pairing) resumes only once its early bytes are processed,
    // and after the owner has had the chance to listen for 'ready'.
    queueMicrotask(() => {
      if (initialBytes && initialBytes.length > 0) this.onData(initialBytes);
      if (!this.closeInfo) socket.resume();
    });
  }

  get conn(): string {
    return this.opts.conn;
  }

  get ready(): boolean {
    return this.peerHello !== null && this.closeInfo === null;
  }

  send(frame: Frame): void {
    this.sendMany([frame]);
  }

  /** Several frames in one socket write (one TLS record when they fit). */
  sendMany(frames: readonly Frame[]): void {
    if (this.closeInfo) throw new LockstepError('NOT_CONNECTED', 'The connection is closed.');
    if (frames.length === 0) return;
    const encoded = frames.map((f) => encodeFrame(f));
    const bytes = encoded.length === 1 ? encoded[0]! : Buffer.concat(encoded);
    this.onAppBytes?.('out', bytes);
    this.socket.write(bytes);
    frames.forEach((f, i) => this.emitFrame('frame.out', f, encoded[i]!.length));
  }

  /** Close politely: `bye`, then end the TLS stream. */
  close(reason = 'closed by the user'): void {
    if (this.closeInfo) return;
    try {
      this.send({ type: 'bye', reason });
    } catch {
      // Already failing: nothing more to say to the peer.
    }
    this.finish({ by: 'local', code: null, reason });
    this.socket.end();
  }

  private onData(chunk: Buffer): void {
    this.onAppBytes?.('in', chunk);
    this.lastHeard = Date.now();
    for (const decoded of this.decoder.push(chunk)) {
      if (this.closeInfo) break;
      if (decoded.kind === 'too-large') {
        this.endRun();
        this.reject('FRAME_TOO_LARGE', `a frame is at most 64 KiB; this line was over ${decoded.size} bytes`);
        continue;
      }
      const parsed = parseFrame(decoded.text);
      if (parsed.kind === 'frame') {
        this.emitFrame('frame.in', parsed.frame, decoded.size);
        if (!this.joinRun(parsed.frame)) {
          this.endRun();
          this.onFrame(parsed.frame);
        }
        continue;
      }
      this.endRun();
      if (parsed.kind === 'malformed') this.reject('BAD_FRAME', parsed.message);
      else this.noteUnknown(parsed.type, decoded.size);
    }
    this.endRun();
  }

  /** A `msg` or `ack` after the hello joins the current run; anything else is handled on its own. */
  private joinRun(frame: Frame): boolean {
    if (!this.peerHello) return false;
    if (frame.type === 'msg') this.runMsgs.push(frame);
    else if (frame.type === 'ack') this.runAcks.push(frame.id);
    else return false;
    return true;
  }

  /** Hand on the run so far: messages first (they are committed, then acked), then acks. */
  private endRun(): void {
    if (this.runMsgs.length > 0) {
      const msgs = this.runMsgs;
      this.runMsgs = [];
      this.emit('messages', msgs);
    }
    if (this.runAcks.length > 0) {
      const ids = this.runAcks;
      this.runAcks = [];
      this.emit('acks', ids);
    }
  }

  private onFrame(frame: Frame): void {
    if (frame.type !== 'hello' && !this.peerHello) {
      this.reject('PROTOCOL_ERROR', `"${frame.type}" before "hello"`);
      return;
    }
    switch (frame.type) {
      case 'hello':
        return this.onHello(frame);
      case 'msg':
        return void this.emit('messages', [frame]);
      case 'ack':
        return void this.emit('acks', [frame.id]);
      case 'ping':
        return this.send({ type: 'pong', ...(frame.n === undefined ? {} : { n: frame.n }) });
      case 'pong':
        return;
      case 'bye':
        // The peer's words are quoted, never trusted as text: no line breaks or controls in our sentences.
        this.finish({ by: 'remote', code: null, reason: frame.reason ? `the peer said goodbye (${quotePeerText(frame.reason)})` : 'the peer said goodbye' });
        this.socket.end();
        return;
      case 'error':
        this.opts.emit(this.appError(`The peer reported an error: ${quotePeerText(frame.code, 40)} — ${quotePeerText(frame.message)}`, frame.code, 'in'));
        return;
    }
  }

  private onHello(hello: FrameOf<'hello'>): void {
    if (this.peerHello) return this.reject('PROTOCOL_ERROR', 'a second "hello"');
    if (hello.v !== PROTOCOL_VERSION) {
      this.sendError('VERSION_UNSUPPORTED', `this peer speaks version ${PROTOCOL_VERSION}, not ${hello.v}`);
      this.fail('local', 'VERSION_UNSUPPORTED', `the peer speaks protocol version ${hello.v}; this app speaks ${PROTOCOL_VERSION}`);
      return;
    }
    this.peerHello = hello;
    this.emit('ready', hello);
  }

  private reject(code: string, message: string): void {
    this.malformed += 1;
    this.opts.emit(this.appError(`Refused a frame from the peer: ${message}`, code, 'in'));
    this.sendError(code, message);
    if (this.malformed >= this.opts.malformedBudget) {
      this.fail('local', 'PROTOCOL_ERROR', `closed after ${this.malformed} bad frames from the peer`);
    }
  }

  private noteUnknown(type: string, size: number): void {
    this.opts.emit({
      conn: this.opts.conn,
      dir: 'in',
      layer: 'app',
      kind: 'frame.in',
      summary: `Ignored a frame of unknown type "${type}" (a newer peer may send frames this version does not know).`,
      detail: { type, size },
    });
  }

  private sendError(code: string, message: string): void {
    try {
      this.send({ type: 'error', code, message: message.slice(0, 500) });
    } catch {
      // The socket is going away; the local event already records the problem.
    }
  }

  private keepalive(): void {
    if (this.closeInfo) return;
    const now = Date.now();
    // A check that runs far later than scheduled means this process stalled, not the peer:
    // bytes may be waiting unread, so start the silence count again instead of blaming the peer.
    if (now - this.lastCheck > 3 * KEEPALIVE_CHECK_MS) this.lastHeard = now;
    this.lastCheck = now;
    const silent = now - this.lastHeard;
    if (this.peerHello && silent >= this.opts.idleTimeoutMs) {
      this.fail('local', 'TIMEOUT', `no sign of life from the peer for ${Math.round(silent / 1000)} s`);
    } else if (this.peerHello && silent >= this.opts.pingIntervalMs) {
      this.send({ type: 'ping', n: ++this.pingCount });
    }
  }

  private onHelloTimeout(): void {
    if (!this.peerHello) this.fail('local', 'HELLO_TIMEOUT', `the peer never greeted us within ${Math.round(this.opts.helloTimeoutMs / 1000)} s (it may not have accepted our key)`);
  }

  /**
   * Close because something went wrong, never leaving the socket half-open. A transport error
   * destroys at once; a protocol refusal of ours first lets the queued `error` frame reach the
   * peer (writes through the tap are asynchronous), then destroys after a short grace.
   */
  fail(by: CloseBy, code: string, reason: string): void {
    this.finish({ by, code, reason });
    if (by !== 'local') {
      this.socket.destroy();
      return;
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private finish(info: CloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = this.notLetIn(info) ?? info;
    for (const timer of this.timers) clearTimeout(timer);
    this.emit('closed', this.closeInfo);
  }

  /** A plain close or reset from the listener before its hello: it did not let this key in (see admittedByHello). */
  private notLetIn(info: CloseInfo): CloseInfo | null {
    if (!this.admittedByHello || this.peerHello || info.by === 'local') return null;
    if (info.code !== null && !DROPPED_CODES.has(info.code)) return null; // a TLS alert or a protocol error says more
    return {
      by: info.by,
      code: 'NOT_LET_IN',
      reason: 'the listener closed the connection before greeting: it has not let this key in (it may not know it yet)',
    };
  }

  private emitFrame(kind: 'frame.in' | 'frame.out', frame: Frame, size: number): void {
    const id = 'id' in frame ? frame.id : undefined;
    const arrow = kind === 'frame.out' ? 'Sent' : 'Received';
    this.opts.emit({
      conn: this.opts.conn,
      dir: kind === 'frame.out' ? 'out' : 'in',
      layer: 'app',
      kind,
      summary: `${arrow} "${frame.type}" (${size} bytes of JSON, carried inside encrypted TLS records).`,
      detail: id === undefined ? { type: frame.type, size } : { type: frame.type, size, id },
    });
  }

  private appError(summary: string, code: string, dir: 'in' | 'local'): EventInput {
    return { conn: this.opts.conn, dir, layer: 'app', kind: 'app.error', summary, detail: { code, message: summary } };
  }
}
