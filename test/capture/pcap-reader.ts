/**
 * A small, independent reader of the pcaps the capture writes (test support): libpcap records,
 * Ethernet, IPv4/IPv6 and TCP headers, with the checksums recomputed from scratch here (RFC 1071)
 * rather than with the writer's own function.
 */

export interface Packet {
  at: number;
  v6: boolean;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: { syn: boolean; ack: boolean; fin: boolean; psh: boolean };
  payload: Buffer;
  ipChecksumOk: boolean;
  tcpChecksumOk: boolean;
}

export interface Pcap {
  magic: number;
  linktype: number;
  packets: Packet[];
}

function sum16(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i]! << 8) + (i + 1 < data.length ? data[i + 1]! : 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

const ip4 = (b: Buffer) => [...b].join('.');
const ip6 = (b: Buffer) => Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');

export function readPcap(file: Buffer): Pcap {
  const magic = file.readUInt32LE(0);
  const linktype = file.readUInt32LE(20);
  const packets: Packet[] = [];
  for (let off = 24; off < file.length; ) {
    const sec = file.readUInt32LE(off);
    const usec = file.readUInt32LE(off + 4);
    const incl = file.readUInt32LE(off + 8);
    const frame = file.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const ethertype = frame.readUInt16BE(12);
    const ip = frame.subarray(14);
    const v6 = ethertype === 0x86dd;
    let src: Buffer, dst: Buffer, tcp: Buffer, ipChecksumOk: boolean;
    if (v6) {
      src = ip.subarray(8, 24);
      dst = ip.subarray(24, 40);
      tcp = ip.subarray(40, 40 + ip.readUInt16BE(4));
      ipChecksumOk = true; // IPv6 has no header checksum
    } else {
      const ihl = (ip[0]! & 0x0f) * 4;
      src = ip.subarray(12, 16);
      dst = ip.subarray(16, 20);
      tcp = ip.subarray(ihl, ip.readUInt16BE(2));
      ipChecksumOk = sum16(ip.subarray(0, ihl)) === 0xffff;
    }
    const pseudo = v6 ? Buffer.alloc(40) : Buffer.alloc(12);
    if (v6) {
      src.copy(pseudo, 0);
      dst.copy(pseudo, 16);
      pseudo.writeUInt32BE(tcp.length, 32);
      pseudo[39] = 6;
    } else {
      src.copy(pseudo, 0);
      dst.copy(pseudo, 4);
      pseudo[9] = 6;
      pseudo.writeUInt16BE(tcp.length, 10);
    }
    const dataOffset = (tcp[12]! >> 4) * 4;
    const f = tcp[13]!;
    packets.push({
      at: sec * 1000 + usec / 1000,
      v6,
      src: v6 ? ip6(src) : ip4(src),
      dst: v6 ? ip6(dst) : ip4(dst),
      sport: tcp.readUInt16BE(0),
      dport: tcp.readUInt16BE(2),
      seq: tcp.readUInt32BE(4),
      ack: tcp.readUInt32BE(8),
      flags: { fin: !!(f & 1), syn: !!(f & 2), psh: !!(f & 8), ack: !!(f & 16) },
      payload: Buffer.from(tcp.subarray(dataOffset)),
      ipChecksumOk,
      tcpChecksumOk: sum16(Buffer.concat([pseudo, tcp])) === 0xffff,
    });
  }
  return { magic, linktype, packets };
}
