import { describe, expect, it } from 'vitest';

import type { EventInput } from '../../../shared/events';
import { ViewChanges } from './view-changes';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function recorder() {
  const emitted: EventInput[] = [];
  return { emitted, changes: new ViewChanges((e) => emitted.push(e)) };
}

describe('view changes', () => {
  it('sends one invalidation per view and turn, however many changes the turn made', async () => {
    const { emitted, changes } = recorder();
    for (let i = 0; i < 500; i++) changes.changed('messages', 'alice');
    changes.changed('messages', 'bob');
    changes.changed('contact-updated');
    expect(emitted).toEqual([]); // nothing before the turn is over

    await nextTurn();
    expect(emitted.map((e) => e.detail)).toEqual([{ view: 'messages', contactId: 'alice' }, { view: 'contacts' }, { view: 'messages', contactId: 'bob' }]);
    expect(emitted.every((e) => e.kind === 'view.invalidated' && e.conn === null && e.dir === 'local')).toBe(true);

    changes.changed('messages', 'alice');
    await nextTurn();
    expect(emitted.slice(3).map((e) => e.detail)).toEqual([{ view: 'messages', contactId: 'alice' }, { view: 'contacts' }]);
  });

  it('says which views a fact touches: a trust decision adds a contact, a knock only the requests', async () => {
    const { emitted, changes } = recorder();
    changes.changed('request');
    changes.changed('contact-added');
    changes.changed('key-change');
    changes.changed('listening');
    await nextTurn();
    expect(emitted.map((e) => e.detail)).toEqual([{ view: 'requests' }, { view: 'contacts' }, { view: 'discovery' }, { view: 'keyChanges' }, { view: 'network' }]);
  });

  it('names a contact only for its messages', async () => {
    const { emitted, changes } = recorder();
    changes.changed('contact-updated', 'alice');
    changes.changed('nearby', 'alice');
    await nextTurn();
    expect(emitted.map((e) => e.detail)).toEqual([{ view: 'contacts' }, { view: 'discovery' }]);
  });
});
