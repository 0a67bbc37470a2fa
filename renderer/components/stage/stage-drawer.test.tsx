import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { EventBase, EventInput, LockstepEvent } from '../../../shared/events';
import { buildStory } from '../../state/stage-story';
import { tamperThroughEve } from '../../test/drill-fixtures';
import { bobIdentity, dialerSession, stamp } from '../../test/fixtures';
import { FakeApi, makeContact } from '../../test/fake-api';
import { renderApp } from '../../test/render-app';
import { StageDrawer } from './stage-drawer';

function withWitness(inputs: EventInput[], equal: boolean, preview = 'meet at 6'): LockstepEvent[] {
  const carrier = inputs.find((e) => e.kind === 'tls.record' && e.detail.decrypted?.plaintext?.includes('"id":"m1"'));
  if (carrier?.kind !== 'tls.record') throw new Error('no record for m1');
  return stamp([...inputs, { conn: carrier.conn, dir: carrier.dir, layer: 'record', kind: 'tls.witness', summary: 'w', detail: { recordIndex: carrier.detail.index, bytes: 80, equal, preview } }]);
}

function drawerFor(events: LockstepEvent[], pick: (title: string, note: string) => boolean) {
  const story = buildStory(events, { selfName: 'Bob' });
  const beat = story.beats.find((b) => pick(b.title, b.note));
  if (!beat) throw new Error('no such beat');
  render(<StageDrawer target={{ kind: 'beat', key: beat.key }} beat={beat} events={events} onOpen={() => {}} onClose={() => {}} />);
  return screen.getByRole('complementary', { name: beat.title });
}

describe('the stage drawer', () => {
  it('puts a record’s plaintext beside its ciphertext, with the witness’s verdict and every byte named', () => {
    const events = withWitness(dialerSession('c1', 'alice'), true);
    const drawer = drawerFor(events, (_t, note) => note.includes('meet at 6'));
    const record = events.find((e): e is EventBase<'tls.record'> & LockstepEvent => e.kind === 'tls.record' && (e.detail.decrypted?.plaintext ?? '').includes('"id":"m1"'))!;
    expect(within(drawer).getByTestId('stage-plaintext')).toHaveTextContent(/^meet at 6$/);
    expect(within(drawer).getByTestId('stage-ciphertext')).toHaveTextContent('8f 1e 3a 7b c0 d4 e5 f6 07 18 29 3a 4b 5c 6d 7e …');
    expect(within(drawer).getByRole('status')).toHaveTextContent('Decrypted independently, not by OpenSSL: “meet at 6” — the same bytes the app wrote ✓');
    const header = within(drawer).getByLabelText('Record header');
    expect([...header.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual(['Content type', 'Legacy version', 'Length']);
    expect(header.querySelector('dd')).toHaveTextContent(/^17 0x17 = application_data/);
    expect(drawer).toHaveTextContent(`${record.detail.length} bytes of record body follow`);
    expect(drawer).toHaveTextContent('Authentication tag (16 bytes)e3 b0 c4 42 98 fc 1c 14 9a fb f4 c8 99 6f b9 24');
    expect(drawer).toHaveTextContent(`Nonce (12 bytes) for sequence number ${record.detail.decrypted!.sequence}`);
  });

  it('says a mismatch loudly, and draws a withheld plaintext as withheld', () => {
    const drawer = drawerFor(withWitness(dialerSession('c1', 'alice'), false, 'meet at 7'), (t) => t === 'Independent check ✗');
    expect(within(drawer).getByRole('alert')).toHaveTextContent('✗ MISMATCH: the bytes on the wire are not the message. Decrypted independently: “meet at 7”');
  });

  it('draws a plaintext the engine withheld as withheld, never the text', () => {
    const inputs = dialerSession('c1', 'alice').map((e) => {
      if (e.kind !== 'tls.record' || !e.detail.decrypted?.plaintext?.includes('meet at 6')) return e;
      const { plaintext: _hidden, ...decrypted } = e.detail.decrypted;
      return { ...e, detail: { ...e.detail, decrypted: { ...decrypted, withheld: 'untrusted peer' } } } as EventInput;
    });
    const drawer = drawerFor(stamp(inputs), (_t, note) => note.includes('withheld'));
    expect(within(drawer).getByTestId('stage-plaintext')).toHaveTextContent('withheld: untrusted peer (nothing from an untrusted peer is shown)');
    expect(drawer).not.toHaveTextContent('meet at 6');
  });

  it('shows what Eve holds of a record, the byte she flipped marked in words', () => {
    const drawer = drawerFor(stamp(tamperThroughEve()), (t) => t === 'Eve flips a bit');
    expect(drawer).toHaveTextContent('What Eve sees: 120 bytes from the dialer');
    expect(drawer).toHaveTextContent('Bit 0 of byte 7 (counting the 5-byte header) flipped after encryption.');
    const marked = drawer.querySelector('.byte-marked')!;
    expect(marked).toHaveTextContent('3b (this byte was flipped)');
  });
});

describe('switching to the stage', () => {
  it('from the header, and back to the chat', async () => {
    const api = new FakeApi();
    api.identity = bobIdentity;
    api.contacts = [makeContact({ id: 'alice', name: 'Alice' })];
    api.backlog = stamp(dialerSession('out-1', 'alice'));
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Stage' }));
    expect(screen.getByRole('main', { name: 'Stage' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Contacts' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Chat' }));
    expect(screen.getByRole('navigation', { name: 'Contacts' })).toBeInTheDocument();
  });

  it('at start, when the window’s address asks for it (the demo’s second screen)', async () => {
    window.location.hash = '#view=stage';
    try {
      const api = new FakeApi();
      api.identity = bobIdentity;
      await renderApp(api);
      expect(screen.getByRole('main', { name: 'Stage' })).toBeInTheDocument();
    } finally {
      window.location.hash = '';
    }
  });
});
