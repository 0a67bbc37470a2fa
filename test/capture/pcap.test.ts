/**
 * The Wireshark export, read back by an independent reader: a libpcap file whose TCP framing adds
 * up (handshake, seq/ack, checksums, segments ≤ 1460 bytes, FINs) around exactly the bytes the tap
 * saw; the keys file holds only the traffic secrets; the recorder stays within its bounds. And the
 * recorder on a real engine connection, through `MessengerOptions.hooks`.
 */
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { sslKeylogFile } from '../../main/core/capture/keylog-file';
import { ipBytes, MAX_SEGMENT, type PcapFlow, writePcap } from '../../main/core/capture/pcap';
import { createCaptureRecorder } from '../../main/core/capture/recorder';
import { opensslPin } from '../helpers/openssl';
import { Lab } from '../helpers/profiles';
import { waitUntil } from '../helpers/wait';
import { type Packet, readPcap } from './pcap-reader';
import { ConnectionDisclosure } from '../../main/core/tls/disclosure';

const lab = new Lab();
afterEach(() => lab.cleanup());

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

/** Check the TCP story of a one-connection capture and return each direction's byte stream. */
function expectSoundTcp(packets: Packet[]): { c2s: Buffer; s2c: Buffer } {
  const [syn, synAck, ack] = packets;
  expect(syn!.flags).toMatchObject({ syn: true, ack: false });
  expect(synAck!.flags).toMatchObject({ syn: true, ack: true });
  expect(synAck!.ack).toBe((syn!.seq + 1) >>> 0);
  expect(ack!.flags).toMatchObject({ syn: false, ack: true });
  expect([ack!.seq, ack!.ack]).toEqual([(syn!.seq + 1) >>> 0, (synAck!.seq + 1) >>> 0]);
  const client = `${syn!.src}:${syn!.sport}`;
  const next = { c: (syn!.seq + 1) >>> 0, s: (synAck!.seq + 1) >>> 0 };
  const streams = { c: [] as Buffer[], s: [] as Buffer[] };
  for (const p of packets.slice(3)) {
    const side = `${p.src}:${p.sport}` === client ? 'c' : 's';
    const other = side === 'c' ? 's' : 'c';
    expect(p.ipChecksumOk && p.tcpChecksumOk, 'checksums').toBe(true);
    expect(p.payload.length).toBeLessThanOrEqual(MAX_SEGMENT);
    expect(p.seq, 'seq continues where this side left off').toBe(next[side]);
    expect(p.flags.ack).toBe(true);
    expect(p.ack, "ack is everything the other side sent").toBe(next[other]);
    streams[side].push(p.payload);
    next[side] = (next[side] + p.payload.length + (p.flags.fin ? 1 : 0)) >>> 0;
  }
  for (const p of packets.slice(0, 3)) expect(p.ipChecksumOk && p.tcpChecksumOk).toBe(true);
  return { c2s: Buffer.concat(streams.c), s2c: Buffer.concat(streams.s) };
}

describe('writePcap', () => {
  const t0 = Date.UTC(2026, 0, 1, 12);
  const chunks: PcapFlow['chunks'] = [
    { from: 'client', at: t0 + 1, bytes: bytes(300, 1) },
    { from: 'server', at: t0 + 2, bytes: bytes(5_000, 2) },
    { from: 'client', at: t0 + 3, bytes: bytes(1, 3) },
    { from: 'client', at: t0 + 3, bytes: bytes(1_460, 4) },
    { from: 'server', at: t0 + 4, bytes: bytes(1_461, 5) },
  ];

  it('IPv4: handshake, data and FINs with consistent seq/ack, valid checksums, ≤1460-byte segments', () => {
    const pcap = readPcap(writePcap({ client: { address: '10.1.2.3', port: 50123 }, server: { address: '10.1.2.4', port: 47474 }, closedAt: t0 + 9, chunks }));
    expect(pcap.magic).toBe(0xa1b2c3d4);
    expect(pcap.linktype).toBe(1);
    expect(pcap.packets.every((p) => !p.v6)).toBe(true);
    expect(pcap.packets[0]).toMatchObject({ src: '10.1.2.3', sport: 50123, dst: '10.1.2.4', dport: 47474 });
    const { c2s, s2c } = expectSoundTcp(pcap.packets);
    expect(c2s.equals(Buffer.concat(chunks.filter((c) => c.from === 'client').map((c) => c.bytes)))).toBe(true);
    expect(s2c.equals(Buffer.concat(chunks.filter((c) => c.from === 'server').map((c) => c.bytes)))).toBe(true);
    const fins = pcap.packets.filter((p) => p.flags.fin);
    expect(fins).toHaveLength(2);
    expect(pcap.packets.at(-1)!.flags).toMatchObject({ fin: false, ack: true });
    // 5,000 bytes become 1460+1460+1460+620; timestamps never go backwards.
    expect(pcap.packets.filter((p) => p.sport === 47474 && p.payload.length > 0).map((p) => p.payload.length)).toEqual([1460, 1460, 1460, 620, 1460, 1]);
    for (let i = 1; i < pcap.packets.length; i++) expect(pcap.packets[i]!.at).toBeGreaterThanOrEqual(pcap.packets[i - 1]!.at);
  });

  it('IPv6 (and IPv4-mapped addresses as plain IPv4); unknown endpoints get documentation addresses', () => {
    const v6 = readPcap(writePcap({ client: { address: '::1', port: 40000 }, server: { address: 'fe80::1%lo', port: 47474 }, chunks }));
    expect(v6.packets.every((p) => p.v6)).toBe(true);
    expect(v6.packets[0]).toMatchObject({ src: '0:0:0:0:0:0:0:1', dst: 'fe80:0:0:0:0:0:0:1' });
    expectSoundTcp(v6.packets);
    expect(v6.packets.some((p) => p.flags.fin)).toBe(false); // still open: no FINs

    const mapped = readPcap(writePcap({ client: { address: '::ffff:127.0.0.1', port: 1 }, server: { address: '::ffff:127.0.0.2', port: 2 }, chunks }));
    expect(mapped.packets[0]).toMatchObject({ v6: false, src: '127.0.0.1', dst: '127.0.0.2' });

    const unknown = readPcap(writePcap({ client: null, server: null, chunks }));
    expect(unknown.packets[0]).toMatchObject({ src: '192.0.2.1', dst: '192.0.2.2', dport: 47474 });
    expectSoundTcp(unknown.packets);
  });

  it('parses addresses the way sockets report them', () => {
    expect(ipBytes('192.168.1.20')).toEqual(Buffer.from([192, 168, 1, 20]));
    expect(ipBytes('::ffff:10.0.0.1')).toEqual(Buffer.from([10, 0, 0, 1]));
    expect(ipBytes('2001:db8::2:1')!.toString('hex')).toBe('20010db8000000000000000000020001');
    expect(ipBytes('10.0.0.1', true)!.toString('hex')).toBe('00000000000000000000ffff0a000001');
    expect(ipBytes('alice.local')).toBeNull();
  });
});

describe('sslKeylogFile', () => {
  const r = 'ab'.repeat(32);
  const s = 'cd'.repeat(32);
  it('keeps the four traffic secrets (and numbers the KeyUpdate successors), nothing else', () => {
    const file = sslKeylogFile([
      `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${r} ${s}\n`,
      `SERVER_HANDSHAKE_TRAFFIC_SECRET ${r} ${s}`,
      `CLIENT_TRAFFIC_SECRET_0 ${r} ${s}`,
      `SERVER_TRAFFIC_SECRET_0 ${r} ${s}`,
      `EXPORTER_SECRET ${r} ${s}`,
      `CLIENT_TRAFFIC_SECRET_N ${r} ${s}`,
      `CLIENT_TRAFFIC_SECRET_N ${r} ${s}`,
      `SERVER_TRAFFIC_SECRET_N ${r} ${s}`,
      'garbage',
    ]);
    expect(file.split('\n').filter(Boolean).map((l) => l.split(' ')[0])).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
      'CLIENT_TRAFFIC_SECRET_1',
      'CLIENT_TRAFFIC_SECRET_2',
      'SERVER_TRAFFIC_SECRET_1',
    ]);
    expect(file.endsWith('\n')).toBe(true);
    expect(sslKeylogFile([])).toBe('');
  });
});

describe('the recorder on a real engine connection', () => {
  it('captures both directions as the tap saw them, the real endpoints, and the keys only when asked', async () => {
    const withKeys = createCaptureRecorder({ keepKeys: true });
    const bob = await lab.peer('Bob', { unknownPeers: 'accept', hooks: withKeys.hooks });
    const pcapOnly = createCaptureRecorder();
    const alice = await lab.peer('Alice', { listen: false, hooks: pcapOnly.hooks });
    const contact = alice.m.addContact({ address: bob.address, pin: opensslPin(join(bob.dir, 'identity.crt')) });
    const sent = alice.m.send(contact.id, 'meet at 6');
    await alice.log.waitFor('message.delivered', (e) => e.detail.messageId === sent.id);
    await lab.close(alice.m);
    await waitUntil(() => withKeys.get('in-1')?.closedAt, "the listener's capture to close");

    const aliceConn = alice.log.of('tcp.connect')[0]!;
    const fromAlice = readPcap(pcapOnly.exportCapture(aliceConn.conn!).pcap);
    const fromBob = readPcap(withKeys.exportCapture('in-1').pcap);
    const { local, remote } = aliceConn.detail;
    expect(fromAlice.packets[0]).toMatchObject({ src: local.address, sport: local.port, dst: remote.address, dport: remote.port });
    expect(fromBob.packets[0]).toMatchObject({ src: local.address, sport: local.port, dst: remote.address, dport: remote.port });
    // Two taps, one connection: the same bytes in each direction (Alice hung up first, so Bob's
    // last goodbye may never have reached her tap).
    const a = expectSoundTcp(fromAlice.packets);
    const b = expectSoundTcp(fromBob.packets);
    expect(a.c2s.equals(b.c2s)).toBe(true);
    expect(a.s2c.length).toBeGreaterThan(1000);
    expect(b.s2c.subarray(0, a.s2c.length).equals(a.s2c)).toBe(true);
    expect(a.c2s[0]).toBe(22); // a handshake record: the ClientHello
    expect(a.c2s.includes(Buffer.from('meet at 6'))).toBe(false); // ciphertext only

    expect(pcapOnly.exportCapture(aliceConn.conn!).keys).toBeNull();
    const keys = withKeys.exportCapture('in-1').keys!;
    const random = alice.log.of('tls.keylog')[0]!.detail.clientRandom;
    expect(keys.split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2))).toEqual(
      expect.arrayContaining(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0'].map((l) => [l, random])),
    );
    expect(keys).not.toContain('EXPORTER_SECRET');
  }, 60_000);

  it('stays within its byte budget (marked truncated) and keeps only the newest connections', () => {
    const recorder = createCaptureRecorder({ maxBytesPerConnection: 1000, maxConnections: 2 });
    const fakeTap = (port: number) => ({ localAddress: '127.0.0.1', localPort: port, remoteAddress: '127.0.0.1', remotePort: 47474 });
    const hooks = ['out-1', 'out-2', 'out-3'].map((conn, i) => recorder.hooks({ conn, role: 'dialer', tap: fakeTap(40000 + i) as never, disclosure: new ConnectionDisclosure(conn, () => undefined) }));
    hooks[2]!.onBytes!('out', bytes(600, 1));
    hooks[2]!.onBytes!('in', bytes(600, 2));
    hooks[2]!.onBytes!('out', bytes(10, 3));
    expect(recorder.connections()).toEqual(['out-2', 'out-3']);
    expect(recorder.get('out-3')).toMatchObject({ bytes: 600, truncated: true });
    expect(expectSoundTcp(readPcap(recorder.exportCapture('out-3').pcap).packets).c2s.length).toBe(600);
    expect(() => recorder.exportCapture('out-1')).toThrow(/No capture of connection out-1/);
  });
});
