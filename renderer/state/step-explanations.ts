/**
 * The plain-language line under each step of the sequence diagram. Each one ties the step to what
 * it gives: encryption (nobody else can read), integrity (nobody changed it) or authentication
 * (it is who we pinned). Kept apart from the builder so the wording can be reviewed on its own.
 */

export type Property = 'encryption' | 'integrity' | 'authentication';

export interface Explanation {
  text: string;
  property: Property | null;
}

export const tcpExplanations = {
  SYN: 'The operating systems start a TCP connection. Nothing is protected yet: anyone on the network path can read what is sent until keys are agreed.',
  'SYN/ACK': 'The other operating system agrees. TCP delivers bytes reliably, but gives no secrecy and no proof of who is at the other end.',
  ACK: 'The connection is open. Next, TLS turns this plain byte stream into a private, authenticated channel.',
} as const;

export const helloExplanations: Record<'client_hello' | 'server_hello' | 'hello_retry_request', Explanation> = {
  client_hello: {
    text: 'Sent in the clear. The dialer offers cipher suites and a fresh, one-time key share: its half of an ECDHE key exchange. Nothing secret travels; the private half never leaves the machine.',
    property: 'encryption',
  },
  server_hello: {
    text: "Both sides now combine their fresh key shares (ECDHE) into the same secret; no key is ever sent over the wire, and yesterday's traffic stays safe if a key leaks tomorrow. Everything after this message is encrypted.",
    property: 'encryption',
  },
  hello_retry_request: {
    text: 'The listener wants a key share for another group, so the dialer sends a new ClientHello. Still in the clear, still nothing secret.',
    property: 'encryption',
  },
};

export const handshakeExplanations: Record<string, Explanation> = {
  EncryptedExtensions: {
    text: 'The first encrypted message: from here on, onlookers cannot see the handshake. It confirms the agreed settings, such as the application protocol (ALPN lockstep/1).',
    property: 'encryption',
  },
  CertificateRequest: {
    text: 'The listener asks the dialer for a certificate too: mutual authentication — each side will prove who it is.',
    property: 'authentication',
  },
  Certificate: {
    text: 'The certificate, sent encrypted. It carries the public key; the receiver compares the SHA-256 of that key with the pin it stored. No certificate authority is involved.',
    property: 'authentication',
  },
  CertificateVerify: {
    text: 'A signature over the whole handshake with the private key: proves possession — authentication. A copied certificate is useless without its key.',
    property: 'authentication',
  },
  Finished: {
    text: 'A MAC over the transcript: proves nobody altered the handshake — integrity.',
    property: 'integrity',
  },
  NewSessionTicket: {
    text: 'A ticket for resuming a later session, sent under the new traffic keys. Lockstep does not rely on it.',
    property: null,
  },
  KeyUpdate: {
    text: 'Both sides move to fresh traffic keys derived from the old ones, so a key leaked later cannot read what came before.',
    property: 'encryption',
  },
};

export const otherHandshake: Explanation = { text: 'An encrypted handshake message.', property: 'encryption' };

export const recordExplanations = {
  applicationData: {
    text: 'Only these encrypted bytes travel on the wire — encryption. The 16-byte tag lets the receiver detect a single changed bit and reject the record — integrity. Lockstep opened a copy with its own code, not OpenSSL, to show the bytes really are the message.',
    property: 'integrity',
  },
  tampered: {
    text: 'Record rejected: the integrity tag did not match — someone changed it in transit. Nothing corrupt is shown; the connection is dropped.',
    property: 'integrity',
  },
  sealed: {
    text: 'An encrypted record. Without the keys it is just bytes: that is all an eavesdropper sees.',
    property: 'encryption',
  },
  changeCipherSpec: {
    text: 'A dummy message kept only so old middleboxes let TLS 1.3 through. It carries nothing and is not counted in the sequence numbers.',
    property: null,
  },
  clearAlert: {
    text: 'An alert sent in the clear, before any keys existed: the handshake was refused.',
    property: null,
  },
  encryptedAlert: {
    text: 'An encrypted alert: usually close_notify, the orderly end of the connection, or the reason for a refusal.',
    property: 'integrity',
  },
  clearHandshake: {
    text: 'A handshake record in the clear: the hellos travel unencrypted, and carry nothing secret.',
    property: 'encryption',
  },
} satisfies Record<string, Explanation>;

export const frameExplanations: Record<string, string> = {
  hello: "The first message inside the encrypted channel: protocol version and display name. The chat says “connected” only after the peer's hello arrives.",
  msg: 'A chat message. TLS encrypts it into the record that carries it.',
  ack: 'The receiver confirms the message arrived intact; the sender now shows it as delivered.',
  ping: 'A keep-alive: is the other side still there?',
  pong: 'The answer to a keep-alive.',
  bye: 'A polite goodbye before the connection closes.',
  error: 'The other side reported a problem with a frame it received.',
};

export const keylogExplanation: Explanation = {
  text: "Each side computes this secret on its own from the shared ECDHE result and the handshake so far; it is never sent. Lockstep's independent decoder uses it to open the records.",
  property: 'encryption',
};

export const secureExplanation: Explanation = {
  text: 'Keys agreed, signatures checked, transcript confirmed by both Finished messages. Next, the pin check decides whether this is the person you meant.',
  property: 'encryption',
};

export const trustExplanations: Record<'match' | 'mismatch' | 'unknown' | 'no-certificate', Explanation> = {
  match: {
    text: 'The SHA-256 of the key the peer presented equals the pin stored for this contact: the same person as before — authentication, without any certificate authority.',
    property: 'authentication',
  },
  mismatch: {
    text: 'The peer holds a key — but not the pinned one. The connection is closed before any message is sent: a changed key is a hard stop, never a question.',
    property: 'authentication',
  },
  unknown: {
    text: 'A key this side has never seen. Nothing is exchanged until a person compares the safety number and trusts it.',
    property: 'authentication',
  },
  'no-certificate': {
    text: 'The peer presented no certificate, so it cannot prove who it is. Refused.',
    property: 'authentication',
  },
};

export const readyExplanation: Explanation = {
  text: 'Both hellos exchanged inside TLS. From now on every message is encrypted, integrity-checked and comes from the pinned key.',
  property: null,
};
