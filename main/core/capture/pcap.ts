/**
 * A classic libpcap file (the format every Wireshark and tcpdump reads) for one TCP connection,
 * rebuilt from the bytes the tap saw. The tap sits above the kernel's TCP, so the packets are
 * synthetic: Ethernet + IPv4 (or IPv6) + TCP framing around the real payload, with a three-way
 * handshake, sequence and acknowledgement numbers that add up, valid checksums, segments of at
 * most 1460 bytes, and a FIN exchange at the end. The payload bytes are exactly the wire's.
 *
 * Format: https://wiki.wireshark.org/Development/LibpcapFileFormat (magic a1b2c3d4, µs stamps);
 * LINKTYPE_ETHERNET = 1.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface PcapEndpoint {
  address: string;
  port: number;
}

export interface PcapChunk {
  /** Client (the dialer) to server, or back. */
  from: 'client' | 'server';
  /** Wall-clock milliseconds (fractions allowed). */
  at: number;
  bytes: Uint8Array;
}

export interface PcapFlow {
  client: PcapEndpoint | null;
  server: PcapEndpoint | null;
  /** When the TCP connection was opened (ms); defaults to just before the first chunk. */
  openedAt?: number;
  /** When it closed (ms); a FIN exchange is written then. Null: still open, no FINs. */
  closedAt?: number | null;
  chunks: PcapChunk[];
}

export const MAX_SEGMENT = 1460;
const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 65_535;
const TCP = 6;
const FLAG = { FIN: 0x01, SYN: 0x02, PSH: 0x08, ACK: 0x10 } as const;
const MAC = { client: Buffer.from('020000000001', 'hex'), server: Buffer.from('020000000002', 'hex') };
/** Addresses for endpoints the capture did not learn (documentation range, RFC 5737). */
const STAND_IN = { client: '192.0.2.1', server: '192.0.2.2' };

interface Host {
  ip: Buffer;
  port: number;
  mac: Buffer;
  seq: number;
}

export function writePcap(flow: PcapFlow): Buffer {
  const v6 = [flow.client?.address, flow.server?.address].some((a) => a !== undefined && ipBytes(a)?.length === 16);
  const host = (side: 'client' | 'server', isn: number): Host => {
    const e = flow[side];
    const ip = (e && ipBytes(e.address, v6)) ?? ipBytes(v6 ? `::ffff:${STAND_IN[side]}` : STAND_IN[side], v6)!;
    return { ip, port: e?.port || (side === 'client' ? 50_000 : 47_474), mac: MAC[side], seq: isn };
  };
  const c = host('client', 0x1000_0000);
  const s = host('server', 0x2000_0000);
  const packets: Buffer[] = [pcapHeader()];
  let ipId = 1;
  const send = (at: number, from: Host, to: Host, flags: number, payload: Uint8Array = new Uint8Array(0), ack = true) => {
    const tcp = tcpSegment(from, to, flags | (ack ? FLAG.ACK : 0), payload, v6);
    const ip = v6 ? ipv6Packet(from.ip, to.ip, tcp) : ipv4Packet(from.ip, to.ip, tcp, ipId++);
    const frame = Buffer.concat([to.mac, from.mac, Buffer.from(v6 ? [0x86, 0xdd] : [0x08, 0x00]), ip]);
    packets.push(record(at, frame));
    from.seq = (from.seq + payload.length + (flags & (FLAG.SYN | FLAG.FIN) ? 1 : 0)) >>> 0;
  };

  const first = flow.chunks[0]?.at ?? flow.openedAt ?? Date.now();
  const opened = Math.min(flow.openedAt ?? first - 0.3, first);
  send(opened, c, s, FLAG.SYN, undefined, false);
  send(opened + 0.1, s, c, FLAG.SYN);
  send(opened + 0.2, c, s, 0);
  let last = opened + 0.2;
  for (const chunk of flow.chunks) {
    const [from, to] = chunk.from === 'client' ? [c, s] : [s, c];
    const at = Math.max(chunk.at, last);
    for (let off = 0; off < chunk.bytes.length; off += MAX_SEGMENT) {
      const piece = chunk.bytes.subarray(off, off + MAX_SEGMENT);
      send(at, from, to, off + MAX_SEGMENT >= chunk.bytes.length ? FLAG.PSH : 0, piece);
    }
    last = at;
  }
  if (flow.closedAt != null) {
    const at = Math.max(flow.closedAt, last);
    send(at, c, s, FLAG.FIN);
    send(at + 0.1, s, c, FLAG.FIN);
    send(at + 0.2, c, s, 0);
  }
  return Buffer.concat(packets);
}

function pcapHeader(): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeInt32LE(0, 8); // thiszone: UTC
  b.writeUInt32LE(0, 12); // sigfigs
  b.writeUInt32LE(SNAPLEN, 16);
  b.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return b;
}

function record(atMs: number, frame: Buffer): Buffer {
  const h = Buffer.alloc(16);
  const micros = Math.round(atMs * 1000);
  h.writeUInt32LE(Math.floor(micros / 1e6), 0);
  h.writeUInt32LE(micros % 1e6, 4);
  h.writeUInt32LE(frame.length, 8);
  h.writeUInt32LE(frame.length, 12);
  return Buffer.concat([h, frame]);
}

function tcpSegment(from: Host, to: Host, flags: number, payload: Uint8Array, v6: boolean): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(from.port, 0);
  h.writeUInt16BE(to.port, 2);
  h.writeUInt32BE(from.seq, 4);
  h.writeUInt32BE(flags & FLAG.ACK ? to.seq : 0, 8);
  h[12] = 5 << 4; // data offset: 5 words, no options
  h[13] = flags;
  h.writeUInt16BE(65_535, 14); // window
  const segment = Buffer.concat([h, payload]);
  // RFC 793 / RFC 8200 §8.1: the checksum covers a pseudo-header of the IP addresses too.
  const pseudo = v6 ? Buffer.alloc(40) : Buffer.alloc(12);
  if (v6) {
    from.ip.copy(pseudo, 0);
    to.ip.copy(pseudo, 16);
    pseudo.writeUInt32BE(segment.length, 32);
    pseudo[39] = TCP;
  } else {
    from.ip.copy(pseudo, 0);
    to.ip.copy(pseudo, 4);
    pseudo[9] = TCP;
    pseudo.writeUInt16BE(segment.length, 10);
  }
  segment.writeUInt16BE(checksum(Buffer.concat([pseudo, segment])), 16);
  return segment;
}

function ipv4Packet(src: Buffer, dst: Buffer, payload: Buffer, id: number): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(id & 0xffff, 4);
  h.writeUInt16BE(0x4000, 6); // don't fragment
  h[8] = 64;
  h[9] = TCP;
  src.copy(h, 12);
  dst.copy(h, 16);
  h.writeUInt16BE(checksum(h), 10);
  return Buffer.concat([h, payload]);
}

function ipv6Packet(src: Buffer, dst: Buffer, payload: Buffer): Buffer {
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x6000_0000, 0);
  h.writeUInt16BE(payload.length, 4);
  h[6] = TCP;
  h[7] = 64;
  src.copy(h, 8);
  dst.copy(h, 24);
  return Buffer.concat([h, payload]);
}

/** The Internet checksum (RFC 1071): one's complement of the one's complement sum of 16-bit words. */
export function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length % 2 === 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * An address as bytes: 4 for IPv4 (including the IPv4-mapped `::ffff:a.b.c.d` Node reports on
 * dual-stack sockets), 16 for IPv6; `as6` maps IPv4 into IPv6 when the other end is IPv6.
 */
export function ipBytes(address: string, as6 = false): Buffer | null {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  const v4 = mapped ? mapped[1]! : isIPv4(plain) ? plain : null;
  if (v4) {
    const four = Buffer.from(v4.split('.').map(Number));
    return as6 ? Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), four]) : four;
  }
  if (!isIPv6(plain)) return null;
  const [head, tail] = plain.includes('::') ? plain.split('::') : [plain, null];
  const words = (part: string | null | undefined): number[] => {
    if (!part) return [];
    const out: number[] = [];
    for (const w of part.split(':')) {
      if (w.includes('.')) {
        const [a, b, c2, d] = w.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c2 << 8) | d);
      } else out.push(parseInt(w, 16));
    }
    return out;
  };
  const h = words(head);
  const t = tail === null ? [] : words(tail);
  const all = tail === null ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const b = Buffer.alloc(16);
  all.forEach((w, i) => b.writeUInt16BE(w, i * 2));
  return b;
}
