import { describe, expect, it } from 'vitest';

import type { LockstepHandlers } from '../../../shared/ipc-contract';
import { LockstepError } from '../errors';
import { dispatch } from './dispatch';

/** Handlers that fail loudly if a call reaches one the test did not expect. */
function handlers(overrides: Partial<LockstepHandlers>): LockstepHandlers {
  return new Proxy(overrides as LockstepHandlers, {
    get(target, name: string) {
      return target[name as keyof LockstepHandlers] ?? (() => { throw new Error(`unexpected call ${name}`); });
    },
  });
}

describe('dispatch', () => {
  it('passes a valid argument to the handler and wraps its value', async () => {
    const seen: unknown[] = [];
    const h = handlers({ safetyNumber: (arg) => { seen.push(arg); return '12345 67890'; } });
    await expect(dispatch(h, 'safetyNumber', { pin: 'sha256/abcdefgh' })).resolves.toEqual({ ok: true, value: '12345 67890' });
    expect(seen).toEqual([{ pin: 'sha256/abcdefgh' }]);
  });

  it('hands the handler the parsed argument, not the raw one', async () => {
    let name = '';
    const h = handlers({ createIdentity: (arg) => { name = arg.name; return { name, pin: 'p', fingerprint: 'f', createdAt: 'now' }; } });
    await dispatch(h, 'createIdentity', { name: '  Alice  ' });
    expect(name).toBe('Alice');
  });

  it('awaits async handlers', async () => {
    const h = handlers({ markRead: async () => null });
    await expect(dispatch(h, 'markRead', { contactId: 'c1' })).resolves.toEqual({ ok: true, value: null });
  });

  it('refuses an unknown channel', async () => {
    const result = await dispatch(handlers({}), 'deleteEverything', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty'])('does not treat the inherited name %s as a channel', async (name) => {
    await expect(dispatch(handlers({}), name, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('refuses a bad argument with a readable message and never calls the handler', async () => {
    const result = await dispatch(handlers({}), 'sendMessage', { contactId: 'c1', text: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('BAD_ARGUMENT');
    expect(result.error.message).toMatch(/^Invalid argument for sendMessage: text: /);
  });

  it('refuses extra keys, a missing argument and a non-object', async () => {
    for (const arg of [{ contactId: 'c1', extra: 1 }, undefined, 'c1', null]) {
      await expect(dispatch(handlers({}), 'markRead', arg)).resolves.toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    }
  });

  it('passes the code and sentence of an engine error through', async () => {
    const h = handlers({ connectContact: () => { throw new LockstepError('PIN_MISMATCH', 'This is not Alice: her key changed.'); } });
    await expect(dispatch(h, 'connectContact', { contactId: 'c1' })).resolves.toEqual({
      ok: false,
      error: { code: 'PIN_MISMATCH', message: 'This is not Alice: her key changed.' },
    });
  });

  it('keeps the code of a foreign error but not its message (it may hold paths)', async () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open '/home/alice/secret'"), { code: 'ENOENT' });
    const h = handlers({ listContacts: async () => { throw error; } });
    const result = await dispatch(h, 'listContacts', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'ENOENT' } });
    expect(JSON.stringify(result)).not.toContain('/home/alice');
  });

  it('turns anything else into INTERNAL without a stack', async () => {
    for (const thrown of [new TypeError('x is undefined'), 'a string', null, { weird: true }]) {
      const h = handlers({ listRequests: () => { throw thrown; } });
      const result = await dispatch(h, 'listRequests', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(JSON.stringify(result)).not.toMatch(/x is undefined|at .*:\d+/);
    }
  });
});
