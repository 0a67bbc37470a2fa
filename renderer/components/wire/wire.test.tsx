import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { EventInput, LockstepEvent } from '../../../shared/events';
import { makeContact } from '../../test/fake-api';
import { dialerSession, stamp } from '../../test/fixtures';
import { DrillFakeApi } from './drill-fake';
import { DrillsPanel } from './drills-panel';
import { EveView } from './eve-view';
import { KeysView } from './keys-view';
import { RecordView } from './record-view';
import { renderWith } from './render-wire';

/** Bob's session with "meet at 6" (message m1), plus the witness's verdict on the record that carried it. */
function sessionWithWitness(equal: boolean, preview = 'meet at 6'): LockstepEvent[] {
  const inputs = dialerSession('c1', 'alice');
  const carrier = inputs.find((e) => e.kind === 'tls.record' && e.detail.decrypted?.plaintext?.includes('"id":"m1"'));
  if (carrier?.kind !== 'tls.record') throw new Error('fixture has no record for m1');
  const witness: EventInput = {
    conn: 'c1', dir: carrier.dir, layer: 'record', kind: 'tls.witness', summary: 'witness',
    detail: { recordIndex: carrier.detail.index, bytes: 80, equal, preview },
  };
  return stamp([...inputs, witness]);
}

describe('record view', () => {
  it('puts the plaintext beside the record header, ciphertext, tag, sequence number and nonce, with the witness ✓', () => {
    const events = sessionWithWitness(true);
    render(<RecordView events={events} messageId="m1" />);
    const view = screen.getByRole('region', { name: 'Record view' });
    expect(within(view).getByTestId('wire-plaintext')).toHaveTextContent('meet at 6');
    // The fixture's record: type 0x17, version 0x0303, length = body length.
    expect(within(view).getByTestId('wire-header').textContent).toMatch(/^17 03 03 00 [0-9a-f]{2}$/);
    expect(within(view).getByText(/17 = application_data/)).toBeInTheDocument();
    expect(within(view).getByTestId('wire-ciphertext')).toHaveTextContent('8f 1e 3a 7b');
    expect(within(view).getByTestId('wire-tag')).toHaveTextContent('e3 b0 c4 42 98 fc 1c 14 9a fb f4 c8 99 6f b9 24');
    expect(within(view).getByText('Nonce (iv XOR sequence number)')).toBeInTheDocument();
    expect(within(view).getByRole('status')).toHaveTextContent('Decrypted independently, not by OpenSSL: meet at 6 ✓');
    expect(within(view).queryByRole('alert')).toBeNull();
  });

  it('says a mismatch loudly, in an alert', () => {
    render(<RecordView events={sessionWithWitness(false, 'meet at 7')} messageId="m1" />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(/MISMATCH: THE BYTES ON THE WIRE ARE NOT THIS MESSAGE/);
    expect(alert).toHaveTextContent('meet at 7');
    expect(alert).toHaveClass('wire-witness-bad');
    expect(screen.queryByText(/✓/)).toBeNull();
  });

  it('says so when the record is not among the kept events', () => {
    render(<RecordView events={sessionWithWitness(true)} messageId="nope" />);
    expect(screen.getByText(/not among the kept events/)).toBeInTheDocument();
  });
});

describe('keys view', () => {
  it('shows the chain from the key shares to the traffic secrets, values hidden outside demo mode', () => {
    render(<KeysView events={stamp(dialerSession('c1', 'alice'))} conn="c1" />);
    const view = screen.getByRole('region', { name: 'Keys' });
    const titles = [...view.querySelectorAll('.key-title')].map((n) => n.textContent);
    expect(titles).toEqual([
      'ECDHE shared secret', 'Handshake secret', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'Master secret', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'key + iv, per direction',
    ]);
    expect(within(view).getByText(/ClientHello key share: X25519, 32 bytes/)).toBeInTheDocument();
    expect(within(view).getAllByText('hidden (not in demo mode)').length).toBeGreaterThanOrEqual(2);
    expect(within(view).queryByText(/DEMO MODE/)).toBeNull();
  });

  it('shows secret values only when the events carry them, under the demo-mode warning, and a KeyUpdate', () => {
    const secret = 'a1'.repeat(48);
    const events = stamp([
      ...dialerSession('c1', 'alice'),
      { conn: 'c1', dir: 'local', layer: 'tls', kind: 'tls.keylog', summary: 'secret', detail: { label: 'CLIENT_TRAFFIC_SECRET_0', clientRandom: '1a2b', secret } },
      { conn: 'c1', dir: 'local', layer: 'tls', kind: 'tls.keylog', summary: 'secret', detail: { label: 'CLIENT_TRAFFIC_SECRET_1', clientRandom: '1a2b' } },
    ]);
    render(<KeysView events={events} conn="c1" />);
    expect(screen.getByRole('alert')).toHaveTextContent('DEMO MODE — secret values shown; never do this with a real conversation');
    expect(screen.getByText(secret)).toBeInTheDocument();
    expect(screen.getByText('CLIENT_TRAFFIC_SECRET_1')).toBeInTheDocument();
    expect(screen.getByText(/"traffic upd"/)).toBeInTheDocument();
  });
});

describe('eavesdropper view', () => {
  it('shows Eve’s bytes as a hex dump with offsets and ASCII', () => {
    const hex = '160303007a' + '01'.repeat(20);
    const events = stamp([
      { conn: 'eve1-1', eve: { relay: 'eve1-1', leg: null }, dir: 'in', layer: 'drill', kind: 'drill.eve', summary: 'relayed', detail: { mode: 'passive', action: 'relayed', from: 'dialer', bytes: 127, hex, ascii: '....z' + '.'.repeat(20) } },
      { conn: 'eve1-1', eve: { relay: 'eve1-1', leg: null }, dir: 'in', layer: 'drill', kind: 'drill.eve', summary: 'relayed', detail: { mode: 'passive', action: 'relayed', from: 'dialer', bytes: 4, hex: '6869210a', ascii: 'hi!.' } },
    ]);
    render(<EveView events={events} />);
    const dumps = screen.getAllByLabelText(/Hex dump of/);
    expect(dumps[0]!.textContent).toMatch(/^00000000 {2}16 03 03 00 7a 01/);
    expect(dumps[0]!.textContent).toMatch(/… 102 more bytes/);
    // Offsets continue per direction: the second chunk starts after the first's 127 bytes.
    expect(dumps[1]!.textContent).toMatch(/^0000007f {2}68 69 21 0a .*\|hi!\.\|/);
  });
});

describe('drills panel', () => {
  const alice = makeContact({ id: 'alice', name: 'Alice', state: 'ready', connId: 'c1' });

  it('starts each drill on the selected contact with one click, stops Eve, and arms the bit flip', async () => {
    const api = new DrillFakeApi();
    const { user } = await renderWith(api, <DrillsPanel contact={alice} events={[]} conns={['c1']} />);
    await user.click(screen.getByRole('button', { name: 'Eavesdropper (Eve listens)' }));
    await user.click(screen.getByRole('button', { name: 'Tamper (Eve flips a bit)' }));
    await user.click(screen.getByRole('button', { name: 'Replay' }));
    await user.click(screen.getByRole('button', { name: 'Impostor (Eve answers with her own key)' }));
    expect(api.callsTo('startEveDrill')).toEqual(['passive', 'tamper', 'replay', 'impostor'].map((mode) => ({ contactId: 'alice', mode })));
    await user.click(screen.getByRole('button', { name: 'Stop Eve' }));
    expect(api.callsTo('stopEveDrill')).toEqual([{}]);
    await user.click(screen.getByRole('button', { name: 'Flip a bit in my next message' }));
    expect(api.callsTo('flipBitInNextMessage')).toEqual([{ contactId: 'alice' }]);
  });

  it('shows the downgrade verdict, and the engine’s sentence when a drill fails', async () => {
    const api = new DrillFakeApi();
    api.failures.set('startEveDrill', { code: 'NOT_CONNECTED', message: 'Alice is not connected.' });
    const { user } = await renderWith(api, <DrillsPanel contact={alice} events={[]} conns={['c1']} />);
    await user.click(screen.getByRole('button', { name: 'Try a TLS 1.2 downgrade' }));
    expect(api.callsTo('runDowngradeDrill')).toEqual([{ contactId: 'alice' }]);
    expect(screen.getByRole('article', { name: 'TLS 1.2 downgrade: Attack defeated' })).toHaveTextContent(/TLS 1\.3 only/);
    await user.click(screen.getByRole('button', { name: 'Eavesdropper (Eve listens)' }));
    expect(screen.getByText('Alice is not connected.')).toHaveClass('error');
  });

  it('draws verdict cards from this side’s and Eve’s verdicts and a refused pin, newest first', async () => {
    const events = stamp([
      { conn: 'eve1-1', eve: { relay: 'eve1-1', leg: null }, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: 'v', detail: { drill: 'eavesdropper', outcome: 'observed', reason: 'Eve saw only ciphertext after the hellos.' } },
      { conn: 'c1', dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: 'v', detail: { drill: 'tamper', outcome: 'defeated', reason: 'The integrity tag did not match: the record was rejected.' } },
      { conn: 'c1', dir: 'local', layer: 'trust', kind: 'trust.check', summary: 'mismatch', detail: { role: 'dialer', expected: 'a', presented: 'b', verdict: 'mismatch', contactId: 'alice', contactName: 'Alice' } },
      { conn: 'other', dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: 'v', detail: { drill: 'replay', outcome: 'defeated', reason: 'someone else’s' } },
    ]);
    await renderWith(new DrillFakeApi(), <DrillsPanel contact={alice} events={events} conns={['c1']} />);
    const cards = screen.getAllByRole('article').map((a) => a.getAttribute('aria-label'));
    expect(cards).toEqual(['Impostor: Refused', 'Tamper: Attack defeated', 'Eavesdropper: Observed']);
    expect(screen.getByText('Eve saw only ciphertext after the hellos.')).toBeInTheDocument();
  });
});
