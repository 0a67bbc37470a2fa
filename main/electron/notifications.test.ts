import { describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../shared/events';
import { createMessageNotifier, messageNotice, receivedPerContact, type MessageNotice } from './notifications';

let seq = 0;
function received(contactId: string): LockstepEvent {
  seq += 1;
  return {
    seq, t: seq, at: 0, conn: 'k1', dir: 'in', layer: 'app', kind: 'message.received',
    summary: 'A message arrived', detail: { contactId, messageId: `m${seq}`, size: 10 },
  };
}
const other: LockstepEvent = {
  seq: 0, t: 0, at: 0, conn: 'k1', dir: 'out', layer: 'app', kind: 'message.sent',
  summary: 'sent', detail: { contactId: 'c9', messageId: 'x', size: 1 },
};

function notifier(focused: boolean, names: Record<string, string> = { c1: 'Alice', c2: 'Bob' }) {
  const shown: MessageNotice[] = [];
  const notify = createMessageNotifier({
    isWindowFocused: () => focused,
    contactName: async (id) => names[id] ?? null,
    show: (notice) => shown.push(notice),
  });
  return { notify, shown };
}

describe('message notifications', () => {
  it('counts received messages per contact and ignores other events', () => {
    expect([...receivedPerContact([received('c1'), other, received('c2'), received('c1')])]).toEqual([['c1', 2], ['c2', 1]]);
  });

  it('shows who wrote and never the message text', async () => {
    const { notify, shown } = notifier(false);
    await notify([received('c1'), received('c2'), received('c2')]);
    expect(shown).toEqual([
      { contactId: 'c1', title: 'Alice', body: 'New message' },
      { contactId: 'c2', title: 'Bob', body: '2 new messages' },
    ]);
  });

  it('stays quiet while the window has focus or nothing arrived', async () => {
    const focused = notifier(true);
    await focused.notify([received('c1')]);
    const idle = notifier(false);
    await idle.notify([other]);
    expect([...focused.shown, ...idle.shown]).toEqual([]);
  });

  it('falls back to the app name for an unknown contact or a failed lookup', async () => {
    const shown: MessageNotice[] = [];
    const notify = createMessageNotifier({
      isWindowFocused: () => false,
      contactName: async () => { throw new Error('store closed'); },
      show: (notice) => shown.push(notice),
    });
    await notify([received('c3')]);
    expect(shown).toEqual([{ contactId: 'c3', title: 'Lockstep', body: 'New message' }]);
  });

  it('keeps a peer-chosen name to one short line', () => {
    expect(messageNotice('c1', 'Eve\nSystem: enter your password', 1).title).toBe('Eve System: enter your password');
    expect(messageNotice('c1', 'x'.repeat(200), 1).title).toHaveLength(64);
    expect(messageNotice('c1', '\u202e\u0007', 1).title).toBe('Lockstep');
  });
});
