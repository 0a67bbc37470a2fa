/**
 * The preload as it ships: built by the real build script, then run in a fresh V8 context whose
 * `require` knows only a fake `electron` — so this also proves the bundle needs nothing else.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

import { beforeAll, describe, expect, it } from 'vitest';

import { channelOf, contract, EVENTS_CHANNEL, type ChannelName } from '../../shared/ipc-contract';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** Just enough of contextBridge and ipcRenderer to watch what the preload does with them. */
function fakeElectron() {
  const exposed = new Map<string, Record<string, unknown>>();
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, arg: unknown) => {
        invoked.push([channel, arg]);
        return { ok: true, value: channel };
      },
      on: (channel: string, listener: Listener) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      },
      removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
    },
  };
  return { electron, exposed, invoked, listeners };
}

let code = '';
const required: string[] = [];

function load() {
  const fake = fakeElectron();
  const module = { exports: {} };
  const require = (name: string) => {
    required.push(name);
    if (name === 'electron') return fake.electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  runInNewContext(code, { require, module, exports: module.exports, console }, { filename: 'preload.cjs' });
  return fake;
}

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'lockstep-preload-'));
  execFileSync(process.execPath, ['scripts/build.mjs', 'preload', '--out', out], { stdio: 'pipe' });
  code = readFileSync(join(out, 'preload', 'preload.cjs'), 'utf8');
}, 60_000);

describe('the built preload', () => {
  it('requires nothing but electron', () => {
    required.length = 0;
    load();
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('exposes exactly one method per contract call, plus onEvents, as window.lockstep', () => {
    const { exposed } = load();
    expect([...exposed.keys()]).toEqual(['lockstep']);
    const api = exposed.get('lockstep') ?? {};
    expect(Object.keys(api).sort()).toEqual([...Object.keys(contract), 'onEvents'].sort());
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
  });

  it('sends each method on its own channel with the argument untouched', async () => {
    const { exposed, invoked } = load();
    const api = exposed.get('lockstep') as Record<string, (arg: unknown) => Promise<unknown>>;
    for (const name of Object.keys(contract) as ChannelName[]) {
      await expect(api[name]?.({ probe: name })).resolves.toEqual({ ok: true, value: channelOf(name) });
    }
    expect(invoked).toEqual(Object.keys(contract).map((name) => [channelOf(name as ChannelName), { probe: name }]));
  });

  it('delivers event batches without the IPC event, and unsubscribes', () => {
    const { exposed, listeners } = load();
    const onEvents = exposed.get('lockstep')?.onEvents as (listener: (batch: unknown) => void) => () => void;
    const batches: unknown[][] = [];
    const unsubscribe = onEvents((...args) => batches.push(args));
    const ipcEvent = { sender: 'ipcRenderer itself' };
    listeners.get(EVENTS_CHANNEL)?.forEach((listener) => listener(ipcEvent, [{ seq: 1 }]));
    expect(batches).toEqual([[[{ seq: 1 }]]]);
    unsubscribe();
    expect(listeners.get(EVENTS_CHANNEL)?.size).toBe(0);
  });

  it('has no generic invoke on the page', () => {
    const api = load().exposed.get('lockstep') ?? {};
    expect(Object.keys(api)).not.toContain('invoke');
    expect(Object.keys(api)).not.toContain('send');
  });
});
