import { describe, expect, it } from 'vitest';

import { channelOf, contract, type LockstepHandlers } from '../../shared/ipc-contract';
import type { Result } from '../../shared/views';
import { registerHandlers, UNTRUSTED_SENDER, type InvokeRegistry } from './ipc';
import { trustedSenderCheck, type SenderInfo } from './sender-check';

/** Stands in for ipcMain: keeps the listeners so a test can invoke them like the renderer would. */
class FakeIpcMain implements InvokeRegistry<SenderInfo> {
  listeners = new Map<string, (event: SenderInfo, arg: unknown) => Promise<Result<unknown>>>();
  handle(channel: string, listener: (event: SenderInfo, arg: unknown) => Promise<Result<unknown>>): void {
    if (this.listeners.has(channel)) throw new Error(`second handler for ${channel}`);
    this.listeners.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.listeners.delete(channel);
  }
  invoke(channel: string, event: SenderInfo, arg: unknown): Promise<Result<unknown>> {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, arg);
  }
}

const OWN_ID = 7;
const fromWindow: SenderInfo = { sender: { id: OWN_ID }, senderFrame: { url: 'app://lockstep/index.html', parent: null } };

function setup() {
  const calls: unknown[] = [];
  const handlers = {
    sendMessage: async (arg: unknown) => {
      calls.push(arg);
      return { id: 'm1' };
    },
  } as unknown as LockstepHandlers;
  const ipc = new FakeIpcMain();
  const unregister = registerHandlers(ipc, handlers, trustedSenderCheck(() => OWN_ID));
  return { ipc, calls, unregister };
}

describe('registerHandlers', () => {
  it('registers exactly the contract channels', () => {
    const { ipc } = setup();
    expect([...ipc.listeners.keys()].sort()).toEqual(Object.keys(contract).map((name) => channelOf(name as keyof typeof contract)).sort());
  });

  it('passes a good call from our window through to the handler', async () => {
    const { ipc, calls } = setup();
    const result = await ipc.invoke(channelOf('sendMessage'), fromWindow, { contactId: 'c1', text: 'meet at 6' });
    expect(result).toEqual({ ok: true, value: { id: 'm1' } });
    expect(calls).toEqual([{ contactId: 'c1', text: 'meet at 6' }]);
  });

  it('refuses a bad argument with BAD_ARGUMENT without calling the handler', async () => {
    const { ipc, calls } = setup();
    const result = await ipc.invoke(channelOf('sendMessage'), fromWindow, { contactId: 'c1', text: 'x'.repeat(16_001) });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    expect(calls).toEqual([]);
  });

  it.each<[string, SenderInfo]>([
    ['another webContents', { ...fromWindow, sender: { id: OWN_ID + 1 } }],
    ['a page that navigated elsewhere', { ...fromWindow, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a file:// page', { ...fromWindow, senderFrame: { url: 'file:///tmp/index.html', parent: null } }],
    ['an iframe inside our page', { ...fromWindow, senderFrame: { url: 'app://lockstep/index.html', parent: {} } }],
    ['a destroyed frame', { ...fromWindow, senderFrame: null }],
  ])('refuses a call from %s without calling the handler', async (_name, event) => {
    const { ipc, calls } = setup();
    const result = await ipc.invoke(channelOf('sendMessage'), event, { contactId: 'c1', text: 'hi' });
    expect(result).toEqual(UNTRUSTED_SENDER);
    expect(calls).toEqual([]);
  });

  it('refuses every call once our window is gone', async () => {
    const ipc = new FakeIpcMain();
    registerHandlers(ipc, {} as LockstepHandlers, trustedSenderCheck(() => null));
    await expect(ipc.invoke(channelOf('listContacts'), fromWindow, {})).resolves.toEqual(UNTRUSTED_SENDER);
  });

  it('removes every handler again', () => {
    const { ipc, unregister } = setup();
    unregister();
    expect(ipc.listeners.size).toBe(0);
  });
});
