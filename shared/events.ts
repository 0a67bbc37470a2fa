/**
 * The engine's event stream: one discriminated union, the only material the "under the hood"
 * panel is drawn from. Every event is a real step the engine observed; nothing here is staged.
 * The same stream can be saved, replayed and exported, so every field must be plain JSON.
 */

export type Layer = 'tcp' | 'tls' | 'record' | 'trust' | 'app' | 'store' | 'drill';

/** `out`: this side sent it; `in`: this side received it; `local`: a decision or state change. */
export type Direction = 'out' | 'in' | 'local';

export type Role = 'dialer' | 'listener';

export interface Endpoint {
  address: string;
  port: number;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  serialNumber: string;
  /** SHA-256 of the whole certificate, hex with colons (what browsers call the fingerprint). */
  fingerprint256: string;
  /** The SPKI pin, `sha256/<base64>`: what Lockstep actually trusts. */
  pin: string;
  publicKeyAlgorithm: string;
  signatureAlgorithm: string;
}

/** Parsed from a ClientHello or ServerHello, which TLS 1.3 still sends in the clear. */
export interface HelloSummary {
  handshakeType: 'client_hello' | 'server_hello' | 'hello_retry_request';
  legacyVersion: string;
  /** For a ServerHello: the selected version from supported_versions. */
  versions: string[];
  cipherSuites: string[];
  groups: string[];
  keyShares: { group: string; length: number; preview: string }[];
  signatureAlgorithms: string[];
  alpn: string[];
  serverName: string | null;
  randomPreview: string;
  sessionIdLength: number;
  extensions: string[];
  /**
   * Set on a hello from a peer that is not trusted: the strings it chose (server name, protocol
   * names other than `lockstep/1`) are replaced by their length, so a stranger writes no text here.
   */
  withheld?: Withheld;
}

/**
 * A panel feature the TLS library under this runtime does not offer (found by the engine's probe
 * at start, main/core/runtime/runtime-features.ts): Electron's BoringSSL reports no shared
 * signature algorithms and chooses TLS 1.3 cipher suites itself. The panel says so in words.
 */
export const RUNTIME_GAPS = ['signature-algorithms', 'cipher-selection', 'keylog', 'exporter', 'alert-names'] as const;
export type RuntimeGap = (typeof RUNTIME_GAPS)[number];

/** One key share as it crossed the wire, with what its bytes are (shared/key-share-parts.ts). */
export interface KeyShareSummary {
  group: string;
  length: number;
  parts: { name: string; length: number }[];
}

/**
 * The key exchange of one handshake, read from the hellos on the wire (both roles, every runtime:
 * Node 22 does not report a hybrid group through its socket). Sizes are whole handshake messages,
 * 4-byte header included; with a HelloRetryRequest they are the second ClientHello's.
 */
export interface KeyExchangeSummary {
  /** supported_groups of the ClientHello, in the client's order. */
  offered: string[];
  clientShares: KeyShareSummary[];
  serverShare: KeyShareSummary | null;
  /** The group of the ServerHello's key share; null when no ServerHello was seen. */
  chosen: string | null;
  postQuantum: boolean;
  helloRetry: boolean;
  clientHelloBytes: number;
  serverHelloBytes: number;
}

/** One handshake as the classical comparison puts it beside another (drill `classical`). */
export interface HandshakeFacts {
  conn: string;
  group: string | null;
  postQuantum: boolean;
  clientHelloBytes: number;
  serverHelloBytes: number;
  handshakeMs: number;
}

export type TrustVerdict = 'match' | 'mismatch' | 'unknown' | 'no-certificate';

export type CloseBy = 'local' | 'remote' | 'error';

/**
 * Why a connection's plaintext is not in an event: its peer is not trusted (yet), or the
 * connection ended without its peer ever being trusted. A withheld plaintext is released (in a
 * `tls.released` event) only if the peer becomes trusted; a refused connection's, never.
 */
export type Withheld = 'peer-not-trusted' | 'peer-refused';

/**
 * Why the independent decryptor did not open a record (or opened it and found no content): the
 * fact the UI and the drills act on. The `undecryptable` sentence next to it is for people only.
 *   no-suite: no ServerHello seen yet · unsupported-suite: a suite the decryptor cannot open ·
 *   no-key: the keylog never gave this record's key · sampled: bulk traffic, deliberately not
 *   decrypted · too-short: shorter than a tag · tag-mismatch: the AEAD tag failed (altered, or
 *   replayed) · no-content-type: decrypted, but all padding
 */
export type UnopenedCause = 'no-suite' | 'unsupported-suite' | 'no-key' | 'sampled' | 'too-short' | 'tag-mismatch' | 'no-content-type';

/**
 * Why the plaintext witness stopped comparing a direction. `tag-mismatch` and `replay` are the
 * loud ones (the bytes on the wire are not what the sender's TLS sealed); `not-opened` (the
 * record was not decrypted, for any other reason) and `fell-behind` (one side ran too far
 * ahead) mean only that nothing could be compared.
 */
export type WitnessStop = 'tag-mismatch' | 'replay' | 'not-opened' | 'fell-behind';

/**
 * What a TLS failure was, classified once in the engine (`classifyTlsError`, net/tls-errors.ts)
 * from the TLS library's error code or the alert received, so nothing downstream reads OpenSSL's
 * wording. `alert`: some other alert; `malformed`: a hello or handshake message that does not
 * parse; `other`: anything else.
 */
export type TlsFailure =
  | 'protocol-version'
  | 'no-certificate'
  | 'no-alpn'
  | 'bad-record-mac'
  | 'connection-reset'
  | 'timeout'
  | 'alert'
  | 'malformed'
  | 'other';

export interface RecordDetail {
  /** Record number on this connection in this direction, counting every record. */
  index: number;
  contentType: string;
  /** Length of the record body (header excluded). */
  length: number;
  headerHex: string;
  /** First bytes of the body as hex (ciphertext for encrypted records). */
  bodyPreview: string;
  encrypted: boolean;
  /** Filled in by the independent decryptor when it could open the record. */
  decrypted?: {
    epoch: 'handshake' | 'application';
    sequence: number;
    nonceHex: string;
    tagHex: string;
    innerContentType: string;
    /** Handshake message names inside the record (EncryptedExtensions, Certificate, …). */
    handshakeMessages: string[];
    /** Decrypted application bytes, as UTF-8 text (application_data records only). */
    plaintext?: string;
  };
  /** Why the decryptor could not open it, in words (keys not known yet, tag mismatch, …). */
  undecryptable?: string;
  /** The same, as a fact: set whenever `undecryptable` is. */
  unopened?: UnopenedCause;
  /** Set on a record that failed its tag and is byte for byte this earlier record of the same direction: a replay. */
  replayOf?: number;
  /** Set when the record was opened but its plaintext is held back (`decrypted.plaintext` absent). */
  withheld?: Withheld;
}

/**
 * What the renderer reads through the API and keeps (renderer/state/engine-store.ts), named once
 * so the engine can say which of them changed. `messages` is per contact: it carries the
 * contact's id. How the history on disk is protected (`getAtRest`) is fixed while the engine
 * runs, so it is read once and never invalidated.
 */
export const VIEWS = ['identity', 'network', 'contacts', 'requests', 'messages', 'keyChanges', 'discovery'] as const;
export type View = (typeof VIEWS)[number];

/** Map from event kind to its detail payload. Add a kind here and the union follows. */
export interface EventDetails {
  'tcp.connect': { local: Endpoint; remote: Endpoint; ms: number };
  'tcp.accept': { local: Endpoint; remote: Endpoint };
  'tcp.error': { code: string; message: string; remote: string };
  'tls.hello': HelloSummary;
  'tls.record': RecordDetail;
  'tls.keylog': { label: string; clientRandom: string; secret?: string };
  'tls.secure': {
    role: Role;
    protocol: string;
    cipher: string;
    cipherStandardName: string;
    group: string | null;
    alpn: string | null;
    peerCertificate: CertificateSummary | null;
    localCertificate: CertificateSummary | null;
    signatureAlgorithms: string[];
    /** Milliseconds from TCP connect/accept to the end of the TLS handshake. */
    handshakeMs: number;
    /** What this runtime could not give for this connection (absent in sessions saved before the probe). */
    runtimeGaps?: RuntimeGap[];
    /** Absent in sessions saved before it existed, and when the engine runs without its observer (bench). */
    keyExchange?: KeyExchangeSummary;
  };
  /**
   * `alert`: the alert the peer sent, as the TLS library's error code names it (RFC 8446 spelling); null when this side
   * failed on its own, or the runtime's codes name no alerts (`runtimeGaps`). `failure`: the class the engine acts on.
   */
  'tls.error': { code: string; message: string; alert: string | null; failure: TlsFailure; runtimeGaps?: RuntimeGap[] };
  'trust.check': {
    role: Role;
    expected: string | null;
    presented: string | null;
    verdict: TrustVerdict;
    contactId: string | null;
    contactName: string | null;
  };
  'trust.pending': { requestId: string; pin: string; claimedName: string; claimsKnownName: boolean };
  /** `expired`: the change ended without being accepted (its connection ended, its time ran out). */
  'trust.key-change': { changeId: string; contactId: string; oldPin: string; newPin: string; resolution: 'detected' | 'reverified' | 'paired' | 'expired' };
  /**
   * Newcomers refused because a cap was full, summed up (at most one such event every few
   * seconds) instead of one card each: `count` refusals in the last `windowMs`, by code
   * (TOO_MANY_CONNECTIONS, TOO_MANY_REQUESTS, TOO_MANY_KEY_CHANGES, PAIRING_RATE_LIMITED).
   */
  'trust.throttled': { count: number; windowMs: number; codes: Record<string, number> };
  'trust.pairing': {
    role: Role;
    phase: 'started' | 'succeeded' | 'failed';
    peerPin: string;
    /** Local only, never sent to the peer: why an attempt failed. */
    reason: string | null;
  };
  'trust.decision': {
    requestId: string | null;
    pin: string;
    decision: 'trusted' | 'rejected' | 'auto-trusted';
    contactId: string | null;
  };
  'frame.out': { type: string; size: number; id?: string };
  'frame.in': { type: string; size: number; id?: string };
  'conn.ready': { role: Role; contactId: string; peerName: string; peerPin: string; protocolVersion: number };
  'conn.closed': { by: CloseBy; reason: string; code: string | null; contactId: string | null };
  'app.error': { code: string; message: string };
  'message.sent': { contactId: string; messageId: string; size: number };
  'message.received': { contactId: string; messageId: string; size: number };
  'message.delivered': { contactId: string; messageId: string };
  'contact.changed': { contactId: string; change: 'added' | 'updated' | 'online' | 'offline' | 'removed' };
  /** A `lockstep://` invite link was opened (clicked in a browser or chat): offered to the user, never auto-added. */
  'app.invite-opened': { invite: string };
  /** LAN discovery (mDNS/DNS-SD): what this machine advertises and which peers it hears. Claims only: trust comes from pins. */
  'discovery.advertise': { state: 'started' | 'stopped'; interface: string; instance: string; name: string; pin: string; port: number };
  'discovery.browse': { state: 'started' | 'stopped'; interface: string };
  'discovery.found': { change: 'found' | 'updated'; instance: string; name: string; pin: string; fingerprint: string; address: string; port: number };
  'discovery.lost': { instance: string; name: string; pin: string; reason: 'goodbye' | 'expired' | 'invalid' };
  'discovery.ignored': { instance: string; address: string | null; reason: string };
  'discovery.error': { code: string; message: string };
  /**
   * The independent decryption compared with what the app itself wrote or read: `equal` false is
   * the loud case (the bytes on the wire are not the message).
   */
  'tls.witness': {
    recordIndex: number;
    bytes: number;
    equal: boolean;
    preview: string;
    /**
     * Set when nothing could be compared (the record was not decrypted, or one side fell too far
     * behind): the witness stops comparing that direction. `equal` is then false, but it is a
     * mismatch only when `cause` is `tag-mismatch` or `replay`.
     */
    unchecked?: string;
    /** Set whenever `unchecked` is: why, as a fact. */
    cause?: WitnessStop;
    /** Set when the preview is held back (`preview` is then empty): see `Withheld`. */
    withheld?: Withheld;
  };
  /**
   * The peer became trusted: the plaintext (and witness previews) of this connection's records
   * that were withheld until then. `dropped`: records whose plaintext was not kept (a bound).
   */
  'tls.released': {
    records: { dir: 'in' | 'out'; index: number; plaintext: string }[];
    witnesses: { dir: 'in' | 'out'; recordIndex: number; preview: string }[];
    dropped: number;
  };
  /**
   * One of the renderer's views changed: read it again. Sent at most once per view (and per
   * contact, for `messages`) per turn of the engine, however many changes the turn made
   * (main/core/events/view-changes.ts). Carries no content and nothing a peer said.
   */
  'view.invalidated': { view: View; contactId?: string };
  /** The one-click tamper drill on this side: armed, then one bit flipped in an outgoing record. */
  'drill.tamper': { phase: 'armed' | 'flipped'; contactId: string | null; recordIndex: number | null; byteOffset: number | null; bit: number | null };
  /** A drill's outcome in plain language, for both sides and for Eve. */
  'drill.verdict': {
    drill: 'eavesdropper' | 'tamper' | 'impostor' | 'replay' | 'downgrade' | 'classical';
    outcome: 'defeated' | 'succeeded' | 'observed';
    reason: string;
    /** The classical comparison: this connection (X25519 alone) beside the last hybrid one to the same contact. */
    comparison?: { hybrid: HandshakeFacts | null; classical: HandshakeFacts };
  };
  /** Eve, the relay in the middle: what she did to a chunk of bytes. */
  'drill.eve': {
    mode: 'passive' | 'tamper' | 'impostor' | 'replay';
    action: 'relayed' | 'flipped' | 'replayed' | 'terminated' | 'dropped';
    from: 'dialer' | 'listener';
    bytes: number;
    hex: string;
    ascii: string;
    /** The record's number in its direction, counting every record (relays only, not the impostor's plaintext). */
    recordIndex?: number;
    /** Which bit Eve flipped, counted in the record as relayed (header included): the byte the receiver's tag check catches. */
    flipped?: { byteOffset: number; bit: number } | null;
  };
}

export type EventKind = keyof EventDetails;

/**
 * Marks an event of one of Eve's connections (a drill running on this engine): the relay it
 * belongs to, and for the impostor which of her two legs (toward the dialer, toward the
 * listener). Front ends group and label Eve's connections by this, never by connection ids.
 */
export interface EveTag {
  relay: string;
  leg: 'dialer' | 'listener' | null;
}

export interface EventBase<K extends EventKind> {
  /** Monotonic across the engine's lifetime. */
  seq: number;
  /** Milliseconds, high resolution, since the engine started (performance.now() based). */
  t: number;
  /** Wall-clock time in ms since the epoch, for display. */
  at: number;
  /** Connection id, or null for engine-wide events. An id is only a name: nothing is read out of it. */
  conn: string | null;
  /** Present only on the events of Eve's connections. */
  eve?: EveTag;
  dir: Direction;
  layer: Layer;
  kind: K;
  /** One line of plain language: what happened and why it matters. */
  summary: string;
  detail: EventDetails[K];
}

export type LockstepEvent = { [K in EventKind]: EventBase<K> }[EventKind];

/** The event as handed to `emit`: seq, t and at are stamped by the bus. */
export type EventInput = { [K in EventKind]: Omit<EventBase<K>, 'seq' | 't' | 'at'> }[EventKind];

/** Narrow an event to one kind. */
export function isKind<K extends EventKind>(event: LockstepEvent, kind: K): event is EventBase<K> & LockstepEvent {
  return event.kind === kind;
}
