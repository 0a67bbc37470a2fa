/**
 * verdictFor as data: which of a peer's own events say a drill (or a real attack) was defeated,
 * and in which words. The events are shaped as the engine emits them (see drills.test.ts for the
 * same mapping over real processes' output).
 */
import { describe, expect, it } from 'vitest';

import type { EventInput, UnopenedCause } from '../../shared/events';
import { verdictFor } from '../../main/core/drills/verdicts';
import { classifyTlsError } from '../../main/core/net/tls-errors';

const TAG = 'tag mismatch at application sequence 1: the record was altered in flight or the keys are wrong';
const record = (dir: 'in' | 'out', unopened?: UnopenedCause, replayOf?: number): EventInput => ({
  conn: 'in-1',
  dir,
  layer: 'record',
  kind: 'tls.record',
  summary: '',
  detail: {
    index: 7, contentType: 'application_data', length: 80, headerHex: '', bodyPreview: '', encrypted: true,
    ...(unopened ? { undecryptable: TAG, unopened } : {}),
    ...(replayOf === undefined ? {} : { replayOf }),
  },
});
/** A tls.error as the engine reports Node's error: classified once, by classifyTlsError. */
const tlsError = (code: string, message: string, dir: 'local' | 'in' = 'local'): EventInput => ({ conn: 'c', dir, layer: 'tls', kind: 'tls.error', summary: '', detail: { code, message, ...classifyTlsError({ code, message }) } });

describe('verdictFor', () => {
  it('an altered record arriving: tamper, defeated', () => {
    const v = verdictFor(record('in', 'tag-mismatch'));
    expect(v).toMatchObject({ conn: 'in-1', kind: 'drill.verdict', layer: 'drill', detail: { drill: 'tamper', outcome: 'defeated' } });
    expect(v!.summary).toMatch(/^Record #7 arrived altered: its authentication tag did not verify \(bad_record_mac\)/);
  });

  it('an exact copy arriving: replay, defeated', () => {
    const v = verdictFor(record('in', 'tag-mismatch', 6));
    expect(v?.detail).toMatchObject({ drill: 'replay', outcome: 'defeated' });
    expect(v!.detail.reason).toMatch(/^Record #7 was an exact copy of record #6: a replay/);
  });

  it('the sender told its record was rejected (the alert came back): tamper, defeated', () => {
    const v = verdictFor(tlsError('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC', 'ssl3_read_bytes:sslv3 alert bad record mac'));
    expect(v?.detail).toMatchObject({ drill: 'tamper', outcome: 'defeated' });
  });

  it('decides by the code: BoringSSL\'s wording of the message, or none, makes no difference', () => {
    expect(verdictFor(tlsError('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION'))?.detail.drill).toBe('downgrade');
    expect(verdictFor(tlsError('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC', ''))?.detail.drill).toBe('tamper');
    // A message that merely mentions a cause decides nothing.
    expect(verdictFor(tlsError('ERR_SOMETHING_ELSE', 'tlsv1 alert protocol version'))).toBeNull();
  });

  it('an older TLS version refused: downgrade, defeated', () => {
    const v = verdictFor(tlsError('ERR_SSL_UNSUPPORTED_PROTOCOL', 'tls_early_post_process_client_hello:unsupported protocol'));
    expect(v?.detail).toMatchObject({ drill: 'downgrade', outcome: 'defeated' });
  });

  it('a key that is not the pinned one: impostor, defeated, both pins named', () => {
    const v = verdictFor({
      conn: 'out-1',
      dir: 'local',
      layer: 'trust',
      kind: 'trust.check',
      summary: '',
      detail: { role: 'dialer', expected: 'sha256/A', presented: 'sha256/E', verdict: 'mismatch', contactId: 'c1', contactName: 'Alice' },
    });
    expect(v?.detail).toMatchObject({ drill: 'impostor', outcome: 'defeated' });
    expect(v!.detail.reason).toContain('expected sha256/A, presented sha256/E');
    const refused = verdictFor({ conn: 'in-2', dir: 'local', layer: 'tcp', kind: 'conn.closed', summary: '', detail: { by: 'local', reason: 'x', code: 'UNTRUSTED_PEER', contactId: null } });
    expect(refused?.detail).toMatchObject({ drill: 'impostor', outcome: 'defeated' });
  });

  it('says nothing about ordinary events, undecryptable records that were not altered, or the observer-side alerts', () => {
    const quiet: EventInput[] = [
      record('in'),
      record('out', 'tag-mismatch'),
      record('in', 'sampled'),
      record('in', 'no-key'),
      tlsError('TLS_ALERT', 'fatal alert bad_record_mac (from the peer)', 'in'),
      tlsError('ECONNRESET', 'read ECONNRESET'),
      // This side found a bad record itself: the record event gives that verdict, not this error.
      tlsError('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 'decryption failed or bad record mac'),
      { conn: 'x', dir: 'local', layer: 'trust', kind: 'trust.check', summary: '', detail: { role: 'dialer', expected: 'a', presented: 'a', verdict: 'match', contactId: null, contactName: null } },
      { conn: 'x', dir: 'local', layer: 'tcp', kind: 'conn.closed', summary: '', detail: { by: 'remote', reason: 'bye', code: null, contactId: null } },
    ];
    expect(quiet.map(verdictFor)).toEqual(quiet.map(() => null));
  });
});
