import { describe, expect, it } from 'vitest';

import type { HelloSummary, RecordDetail } from '../../shared/events';
import { eveFields, helloBodyFields, recordHeaderFields, sealedBodyFields } from './stage-bytes';

describe('annotated bytes', () => {
  it('names each byte of a record header (RFC 8446 §5.1)', () => {
    const fields = recordHeaderFields('1703030035');
    expect(fields.map((f) => [f.label, f.bytes.join(' ')])).toEqual([['Content type', '17'], ['Legacy version', '03 03'], ['Length', '00 35']]);
    expect(fields[0]!.meaning).toMatch(/application_data/);
    expect(fields[1]!.meaning).toMatch(/^TLS 1\.2/);
    expect(fields[2]!.meaning).toBe('53 bytes of record body follow');
    expect(recordHeaderFields('1703')).toEqual([]);
  });

  it('reads a ClientHello’s first body bytes: type, length, legacy version, the start of the random', () => {
    const hello = { handshakeType: 'client_hello', versions: ['TLS 1.3'] } as HelloSummary;
    const fields = helloBodyFields('010001fc03039a1b2c3d4e5f60718293', hello);
    expect(fields.map((f) => [f.label, f.bytes.join('')])).toEqual([
      ['Handshake type', '01'], ['Message length', '0001fc'], ['Legacy version', '0303'], ['Random (first bytes of 32)', '9a1b2c3d4e5f60718293'],
    ]);
    expect(fields[0]!.meaning).toBe('0x01 = ClientHello');
    expect(fields[1]!.meaning).toBe('508 bytes of ClientHello follow');
    expect(fields[2]!.meaning).toContain('supported_versions: TLS 1.3');
  });

  it('splits an encrypted record into ciphertext, tag and nonce, counting what the event leaves out', () => {
    const record: RecordDetail = {
      index: 4, contentType: 'application_data', length: 97, headerHex: '1703030061', bodyPreview: '8f1e3a7bc0d4e5f60718293a4b5c6d7e', encrypted: true,
      decrypted: { epoch: 'application', sequence: 1, nonceHex: '5a1b2c3d4e5f60718293a4b1', tagHex: 'e3b0c44298fc1c149afbf4c8996fb924', innerContentType: 'application_data', handshakeMessages: [] },
    };
    const fields = sealedBodyFields(record);
    expect(fields.map((f) => [f.label, f.bytes.length, f.tone])).toEqual([
      ['Ciphertext (first 16 of 81 bytes)', 16, 'cipher'], ['Authentication tag (16 bytes)', 16, 'tag'], ['Nonce (12 bytes) for sequence number 1', 12, 'nonce'],
    ]);
    expect(sealedBodyFields({ ...record, decrypted: undefined }).map((f) => f.tone)).toEqual(['cipher']);
  });

  it('marks the byte Eve flipped among the bytes she relayed', () => {
    const fields = eveFields('17 03 03 00 73 8f 1e 3b 7b c0 …', 120, { byteOffset: 7 });
    const body = fields[fields.length - 1]!;
    expect(body).toMatchObject({ label: 'Body (first 5 of 115 bytes)', tone: 'flipped', marked: [2] });
    expect(body.bytes[2]).toBe('3b');
    expect(eveFields('16 03 01 02 00 01 00', 517, null).at(-1)).toMatchObject({ tone: 'clear' });
  });
});
