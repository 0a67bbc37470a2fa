import { describe, expect, it } from 'vitest';
import { cipherSuite, nextTrafficSecret } from './key-schedule';
import { DirectionDecryptor, type Released } from './record-decryptor';
import type { TlsRecord } from './record-splitter';
import { handshakeMessage, sealRecord } from './test-kit';

const suite = cipherSuite(0x1303)!;
const hsSecret = new Uint8Array(32).fill(1);
const appSecret = new Uint8Array(32).fill(2);
const text = (s: string) => new TextEncoder().encode(s);
const HS = 22;
const APP = 23;
const finished = handshakeMessage(20, new Uint8Array(32));
const keyUpdate = handshakeMessage(24, Uint8Array.of(0));
const ccs: TlsRecord = { contentType: 20, version: 0x0303, length: 1, header: Uint8Array.of(20, 3, 3, 0, 1), body: Uint8Array.of(1) };

/** A server flight: two handshake records, a Finished, then three application records. */
function flight(): TlsRecord[] {
  return [
    sealRecord(suite, hsSecret, 0, HS, handshakeMessage(8, Uint8Array.of(0, 0))),
    sealRecord(suite, hsSecret, 1, HS, handshakeMessage(11, new Uint8Array(40)), 7),
    sealRecord(suite, hsSecret, 2, HS, finished),
    sealRecord(suite, appSecret, 0, APP, text('one')),
    sealRecord(suite, appSecret, 1, APP, text('two'), 100),
    sealRecord(suite, appSecret, 2, APP, text('three')),
  ];
}

function ready(): DirectionDecryptor<number> {
  const d = new DirectionDecryptor<number>('server');
  d.setSuite(0x1303);
  d.setSecret('handshake', hsSecret);
  d.setSecret('application', appSecret);
  return d;
}

const summary = (r: Released<number>) =>
  r.opened
    ? `${r.ctx}:${r.opened.epoch}/${r.opened.sequence}:${r.opened.innerContentType === HS ? r.opened.handshakeMessages.join('+') : Buffer.from(r.opened.content).toString('latin1')}`
    : `${r.ctx}:${r.undecryptable}`;

describe('DirectionDecryptor', () => {
  it('opens records in order, switching to application keys after Finished and stripping padding', () => {
    const d = ready();
    const out = flight().flatMap((r, i) => d.submit(r, i));
    expect(out.map(summary)).toEqual([
      '0:handshake/0:EncryptedExtensions',
      '1:handshake/1:Certificate',
      '2:handshake/2:Finished',
      '3:application/0:one',
      '4:application/1:two',
      '5:application/2:three',
    ]);
  });

  it('does not count change_cipher_spec records', () => {
    const d = ready();
    const [a, b] = flight();
    const out = [...d.submit(a!, 0), ...d.submit(ccs, 1), ...d.submit(b!, 2)];
    expect(out.map((r) => r.opened?.sequence ?? 'clear')).toEqual([0, 'clear', 1]);
  });

  it('holds records until the keylog gives their keys, then releases them in order', () => {
    const d = new DirectionDecryptor<number>('server');
    const records = flight();
    expect(records.flatMap((r, i) => d.submit(r, i))).toEqual([]);
    expect(d.pending).toBe(6);
    expect(d.setSuite(0x1303)).toEqual([]);
    expect(d.setSecret('handshake', hsSecret).map(summary)).toEqual(['0:handshake/0:EncryptedExtensions', '1:handshake/1:Certificate', '2:handshake/2:Finished']);
    expect(d.setSecret('application', appSecret).map((r) => r.ctx)).toEqual([3, 4, 5]);
    expect(d.pending).toBe(0);
  });

  it('counts a record whose tag fails, so the next one still opens at the right sequence', () => {
    const d = ready();
    const records = flight();
    records[4]!.body[0]! ^= 0x01; // one bit flipped in flight
    const out = records.flatMap((r, i) => d.submit(r, i));
    expect(out[4]!.undecryptable).toMatch(/^tag mismatch at application sequence 1/);
    expect(out[5]!.opened).toMatchObject({ epoch: 'application', sequence: 2 });
  });

  it('follows a KeyUpdate: the next record uses the "traffic upd" secret at sequence 0', () => {
    const d = ready();
    const next = nextTrafficSecret(suite, appSecret);
    const records = [...flight().slice(0, 4), sealRecord(suite, appSecret, 1, HS, keyUpdate), sealRecord(suite, next, 0, APP, text('fresh'))];
    const out = records.flatMap((r, i) => d.submit(r, i));
    expect(out.slice(4).map(summary)).toEqual(['4:application/1:KeyUpdate', '5:application/0:fresh']);
  });

  it('resynchronises when the record that carried a key change could not be read', () => {
    const d = ready();
    const records = flight();
    records[2]!.body[5]! ^= 0x80; // the Finished is damaged: the epoch switch is invisible
    const out = records.flatMap((r, i) => d.submit(r, i));
    expect(out[2]!.undecryptable).toMatch(/tag mismatch/);
    expect(out.slice(3).map(summary)).toEqual(['3:application/0:one', '4:application/1:two', '5:application/2:three']);
    expect(out[3]!.opened!.note).toMatch(/resynchronised/);
  });

  it('never holds more than maxPending records; the oldest is given up and still counted', () => {
    const d = new DirectionDecryptor<number>('server', { maxPending: 2 });
    d.setSuite(0x1303);
    const records = flight();
    const out = records.slice(0, 4).flatMap((r, i) => d.submit(r, i));
    expect(d.pending).toBe(2);
    expect(out.map((r) => r.undecryptable)).toEqual([expect.stringMatching(/no server handshake traffic secret/), expect.stringMatching(/no server handshake/)]);
    // Records 2 (Finished, seq 2) and 3 are still held; the counting kept up with the two given up.
    expect(d.setSecret('handshake', hsSecret).map(summary)).toEqual(['2:handshake/2:Finished']);
    expect(d.setSecret('application', appSecret).map(summary)).toEqual(['3:application/0:one']);
  });

  it('does not wait when no keys will come, and reports an unsupported suite at once', () => {
    const relay = new DirectionDecryptor<number>('client', { waitForKeys: false });
    expect(relay.submit(flight()[0]!, 0)[0]!.undecryptable).toMatch(/cipher suite not known/);
    const ccm = new DirectionDecryptor<number>('client');
    ccm.setSuite(0x1304);
    expect(ccm.submit(flight()[0]!, 0)[0]!.undecryptable).toMatch(/TLS_AES_128_CCM_SHA256 is not supported/);
  });

  it('flush releases everything still waiting, plaintext records unchanged', () => {
    const d = new DirectionDecryptor<number>('server');
    d.submit(flight()[0]!, 0);
    d.submit(ccs, 1);
    const out = d.flush('closed');
    expect(out.map((r) => [r.ctx, r.encrypted, r.undecryptable])).toEqual([[0, true, 'closed'], [1, false, undefined]]);
  });

  it('reports a record too short for a tag, and an all-padding inner plaintext', () => {
    const d = ready();
    const short: TlsRecord = { contentType: 23, version: 0x0303, length: 4, header: Uint8Array.of(23, 3, 3, 0, 4), body: new Uint8Array(4) };
    expect(d.submit(short, 0)[0]!.undecryptable).toMatch(/too short/);
    const padOnly = sealRecord(suite, hsSecret, 1, 0, new Uint8Array(0), 5);
    expect(d.submit(padOnly, 1)[0]!.undecryptable).toMatch(/all padding/);
  });

  it('names handshake messages split across records', () => {
    const d = ready();
    const cert = handshakeMessage(11, new Uint8Array(300).fill(7));
    const out = [
      ...d.submit(sealRecord(suite, hsSecret, 0, HS, cert.subarray(0, 100)), 0),
      ...d.submit(sealRecord(suite, hsSecret, 1, HS, Uint8Array.from([...cert.subarray(100), ...finished])), 1),
      ...d.submit(sealRecord(suite, appSecret, 0, APP, text('ok')), 2),
    ];
    expect(out.map(summary)).toEqual(['0:handshake/0:Certificate (continues)', '1:handshake/1:Certificate+Finished', '2:application/0:ok']);
  });

  it('skips decryption of application records the sampler declines, counting them', () => {
    const d = new DirectionDecryptor<number>('server', { shouldDecrypt: (i) => i !== 4 });
    d.setSuite(0x1303);
    d.setSecret('handshake', hsSecret);
    d.setSecret('application', appSecret);
    const out = flight().flatMap((r, i) => d.submit(r, i));
    expect(out[4]!.undecryptable).toMatch(/sampled/);
    expect(out[5]!.opened).toMatchObject({ sequence: 2 });
  });
});
