/**
 * The Messenger is a facade: what it shows of its parts are views with no way to change trust or
 * state around its methods (a contact added behind its back would skip the own-pin check and
 * the `contact.changed` event).
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Lab } from '../../../test/helpers/profiles';

const lab = new Lab();
afterEach(async () => {
  await lab.cleanup();
});

describe('the Messenger facade', () => {
  it('shows its stores and parts as views without their writing methods', async () => {
    const { m } = await lab.peer('Alice', { listen: false });
    for (const method of ['add', 'rename', 'replacePin', 'setVerified', 'markSeen']) expect(m.contacts).not.toHaveProperty(method);
    for (const method of ['addOutgoing', 'addIncoming', 'markDelivered', 'markRead']) expect(m.messages).not.toHaveProperty(method);
    for (const method of ['detect', 'reverify', 'dismiss']) expect(m.keyChanges).not.toHaveProperty(method);
    for (const method of ['flipNextRecord', 'routeOf', 'close']) expect(m.drills).not.toHaveProperty(method);
    expect(m.nearby).not.toHaveProperty('advertise');
    // The parts themselves are private: `tsc` (which checks the tests too) fails if one is public.
    // @ts-expect-error the trust gate is private
    void m.gate;
    // @ts-expect-error the sessions are private
    void m.sessions;
    // @ts-expect-error the reconnector is private
    void m.reconnector;
  });

  it('adds contacts only through its methods: the own pin is refused, every addition is announced', async () => {
    const { m, log } = await lab.peer('Alice', { listen: false });
    expect(() => m.trustKey({ pin: m.identity.pin })).toThrow(expect.objectContaining({ code: 'BAD_PIN' }));
    expect(() => m.addContact({ address: '127.0.0.1:47474', pin: m.identity.pin })).toThrow(expect.objectContaining({ code: 'BAD_PIN' }));
    expect(m.contacts.list()).toEqual([]);
    const added = m.trustKey({ pin: `sha256/${Buffer.alloc(32, 3).toString('base64')}` });
    const changed = await log.waitFor('contact.changed', (e) => e.detail.contactId === added.id);
    expect(changed.detail.change).toBe('added');
  });
});
