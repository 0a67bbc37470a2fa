/**
 * One live session per contact: attaching a pin-checked socket to a contact, the connection
 * state the UI shows, and what happens on ready and on close. The messenger decides *when* to
 * connect; this decides what a connection means for its contact.
 */
import type { EventInput, Role } from '../../../shared/events';
import type { ConnectionState } from '../../../shared/views';
import type { Connection } from '../net/connection';
import type { SecuredPeer } from '../net/peer-check';
import { Session, type CloseInfo, type SessionOptions } from '../wire/session';
import type { FrameOf } from '../wire/protocol';
import type { Links } from './links';

export interface SessionHandlers {
  onReady: (contactId: string, session: Session, hello: FrameOf<'hello'>, role: Role) => void;
  /** The messages of one read: committed together, then acked. */
  onMessages: (contactId: string, session: Session, msgs: FrameOf<'msg'>[]) => void;
  /** The acks of one read, applied together. */
  onAcks: (contactId: string, ids: string[]) => void;
  onChange: (contactId: string, change: 'online' | 'offline' | 'updated') => void;
  onClosed: (contactId: string, code: string | null) => void;
}

/** A fresh duplicate newer than this is refused if the existing one is the preferred direction. */
const DUPLICATE_GRACE_MS = 3_000;

export class Sessions {
  constructor(
    private readonly links: Links,
    private readonly emit: (event: EventInput) => void,
    /** Per role: a listener waits briefly for a dialer's hello, a dialer long for a listener's. */
    private readonly sessionOptions: (role: Role) => Omit<SessionOptions, 'conn' | 'emit' | 'localName'>,
    private readonly handlers: SessionHandlers,
  ) {}

  setState(contactId: string, state: ConnectionState, connId: string | null, lastClose?: string | null): void {
    const link = this.links.of(contactId);
    link.state = state;
    if (connId) link.connId = connId;
    if (lastClose !== undefined) link.lastClose = lastClose;
    this.handlers.onChange(contactId, 'updated');
  }

  /**
   * Attach a socket whose peer is trusted (its pin is the contact's: checked by the dialer, let in
   * by the gate, or proved by pairing) to that contact. From here its plaintext may be shown, and
   * what was held back before the decision is released. When both sides dial at once, two
   * connections exist: both sides keep the one dialed by the lower pin, so they agree without talking.
   */
  attach(contactId: string, peer: SecuredPeer, localName: string, preferred: boolean, initialBytes?: Buffer): Session | null {
    peer.connection.disclosure.trust();
    const link = this.links.of(contactId);
    const existing = link.session;
    if (existing && !existing.closeInfo && !preferred && Date.now() - link.attachedAt < DUPLICATE_GRACE_MS) {
      peer.socket.destroy();
      return null;
    }
    if (existing && !existing.closeInfo) existing.close('replaced by a newer connection');
    const { witness, role } = peer.connection;
    const onAppBytes = witness ? (dir: 'in' | 'out', bytes: Buffer) => witness.onAppBytes(dir, bytes) : undefined;
    const session = new Session(peer.socket, { ...this.sessionOptions(role), conn: peer.conn, emit: this.emit, localName, initialBytes, onAppBytes });
    link.session = session;
    link.tap = peer.connection.tap;
    link.attachedAt = Date.now();
    this.setState(contactId, 'waiting', peer.conn, null);
    session.on('ready', (hello) => {
      this.setState(contactId, 'ready', peer.conn);
      this.handlers.onReady(contactId, session, hello, role);
      this.handlers.onChange(contactId, 'online');
    });
    session.on('messages', (msgs) => this.handlers.onMessages(contactId, session, msgs));
    session.on('acks', (ids) => this.handlers.onAcks(contactId, ids));
    session.on('closed', (info) => this.onClosed(contactId, session, info, peer.connection));
    return session;
  }

  private onClosed(contactId: string, session: Session, info: CloseInfo, connection: Connection): void {
    this.emitClosed(session.conn, contactId, info, connection);
    const link = this.links.of(contactId);
    if (link.session !== session) return; // a replaced session: the contact is still connected
    link.session = null;
    link.tap = null;
    this.setState(contactId, 'closed', null, describeClose(info));
    this.handlers.onChange(contactId, 'offline');
    // A clean goodbye from our side is not a failure; anything else may be worth a retry.
    if (info.by !== 'local' || info.code) this.handlers.onClosed(contactId, info.code);
  }

  /**
   * `connection`, when there is one: the records it had still to decrypt (a turn late, see
   * record-observer.ts) are reported first, so what passed before the close comes before
   * `conn.closed` in the live stream as it does in seq order.
   */
  emitClosed(conn: string, contactId: string | null, info: CloseInfo, connection?: Connection): void {
    connection?.observer?.drain();
    this.emit({
      conn,
      dir: info.by === 'remote' ? 'in' : 'local',
      layer: 'tcp',
      kind: 'conn.closed',
      summary: `Connection closed: ${describeClose(info)}.`,
      detail: { by: info.by, reason: info.reason, code: info.code, contactId },
    });
  }

  closeAll(reason: string): void {
    for (const link of this.links.all()) link.session?.close(reason);
  }
}

export function describeClose(info: CloseInfo): string {
  const who = info.by === 'local' ? 'closed here' : info.by === 'remote' ? 'closed by the other side' : 'failed';
  return `${info.reason} (${who}${info.code ? `, ${info.code}` : ''})`;
}
