import { act, fireEvent, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { useEngineState } from '../../state/engine-context';

import { impostorThroughEve, tamperThroughEve } from '../../test/drill-fixtures';
import { makeContact } from '../../test/fake-api';
import { bobIdentity, dialerSession, stamp } from '../../test/fixtures';
import { DrillFakeApi } from '../wire/drill-fake';
import { renderWith } from '../wire/render-wire';
import { StageView } from './stage-view';
import { LIVE_STEP_MS } from './use-stage-cursor';

function live(events = stamp(dialerSession('out-1', 'alice'))) {
  const api = new DrillFakeApi();
  api.identity = bobIdentity;
  api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'ready', connId: 'out-1' })];
  api.backlog = events;
  return api;
}

/** As the app does: the stage appears once the engine is ready (its backlog read). */
function WhenReady({ children }: { children: ReactNode }) {
  return useEngineState((s) => s.status) === 'ready' ? children : null;
}
const stageOn = (api: DrillFakeApi) => renderWith(api, <WhenReady><StageView /></WhenReady>);

const key = (k: string) => fireEvent.keyDown(document.body, { key: k });
const progress = () => screen.getByTestId('stage-progress').textContent;
const current = () => document.querySelector('.beat.is-current .beat-title')?.textContent;

afterEach(() => vi.useRealTimers());

describe('the stage', () => {
  it('opens on the latest connection’s first step and walks it with Space, ← and →, drawing only what has been shown', async () => {
    await stageOn(live());
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Connection 1: Bob ⇄ Alice');
    const total = Number(/of (\d+)/.exec(progress()!)![1]);
    expect(progress()).toMatch(new RegExp(`^Step 1 of ${total} · ${total - 1} more$`));
    expect(current()).toBe('SYN');
    const lanes = screen.getByRole('region', { name: 'Lanes' });
    expect(within(lanes).getAllByRole('listitem')).toHaveLength(1);
    key(' ');
    key('ArrowRight');
    expect(current()).toBe('ACK');
    expect(within(lanes).getAllByRole('listitem')).toHaveLength(3);
    key('ArrowLeft');
    expect(current()).toBe('SYN/ACK');
    // The step on screen, in words, with who sent it.
    const caption = screen.getByRole('region', { name: 'This step' });
    expect(within(caption).getByRole('heading', { name: 'SYN/ACK' })).toBeInTheDocument();
    expect(caption).toHaveTextContent('Alice to Bob · 1 · TCP handshake');
    expect(within(lanes).getByRole('button', { name: /^Step 2, Alice to Bob: SYN\/ACK in the clear/ })).toBeInTheDocument();
  });

  it('jumps to key moments with ↓ and ↑, to connections with Page Down and Page Up, to the ends with Home and End', async () => {
    await stageOn(live(stamp([...dialerSession('out-1', 'alice'), ...tamperThroughEve('out-2', 'eve1-1')])));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Eve flips a bit on the wire · 2 of 2');
    key('Home');
    expect(current()).toBe('SYN');
    key('ArrowDown');
    expect(current()).toBe('ClientHello');
    key('ArrowDown');
    expect(current()).toBe('ServerHello');
    key('ArrowUp');
    expect(current()).toBe('ClientHello');
    key('PageDown');
    expect(current()).toBe('Eve takes the call');
    // Eve has her own lane in this connection, between the two halves of the wire.
    expect(screen.getByRole('region', { name: 'Lanes' })).toHaveClass('with-eve');
    expect(screen.getByText('in the middle')).toBeInTheDocument();
    key('End');
    expect(current()).toBe('Eve — Tamper defeated ✓');
    key('PageUp');
    expect(current()).toBe('Eve takes the call');
    key('PageUp');
    expect(current()).toBe('SYN');
  });

  it('lights the scoreboard as the steps that prove each property are reached, and takes you to them', async () => {
    await stageOn(live(stamp([...dialerSession('out-1', 'alice'), ...impostorThroughEve('out-3', 'eve2-1')])));
    const board = screen.getByRole('region', { name: 'Scoreboard' });
    key('Home');
    expect(within(board).queryAllByRole('button')).toEqual([]);
    expect(board).toHaveTextContent('Authentication not shown yet');
    key('End');
    const lit = within(board).getByRole('button', { name: /^Authentication shown at step \d+$/ });
    fireEvent.click(lit);
    expect(current()).toBe('Pin check ✓');
    expect(screen.getByRole('complementary', { name: 'Pin check ✓' })).toHaveTextContent('The same key: this is who was pinned ✓');
    expect(board).toHaveTextContent('Integrity not shown yet');
  });

  it('opens the step on screen with Enter in a drawer beside the lanes, the keys with “?”, and closes with Escape', async () => {
    await stageOn(live());
    key('ArrowDown');
    key('Enter');
    const drawer = screen.getByRole('complementary', { name: 'ClientHello' });
    expect(drawer).toHaveTextContent('0x16 = handshake');
    expect(drawer).toHaveTextContent('Key share X25519 (32 bytes, first shown)');
    expect(screen.getByRole('region', { name: 'Lanes' })).toBeInTheDocument();
    fireEvent.click(within(drawer).getByRole('button', { name: 'Where the keys come from' }));
    expect(screen.getByRole('complementary', { name: 'Where the keys come from' })).toHaveTextContent('ECDHE shared secret');
    key('Escape');
    expect(screen.queryByRole('complementary')).toBeNull();
    key('?');
    expect(screen.getByRole('complementary', { name: 'Keyboard' })).toHaveTextContent('Page Down / Page Up');
  });

  it('runs one drill per key on the contact of the newest connection, and writes a message with M', async () => {
    const api = live();
    const { user } = await stageOn(api);
    for (const k of ['e', 't', 'r', 'i']) {
      await act(async () => {
        key(k);
      });
    }
    expect(api.callsTo('startEveDrill')).toEqual(['passive', 'tamper', 'replay', 'impostor'].map((mode) => ({ contactId: 'alice', mode })));
    await act(async () => {
      key('x');
      key('f');
      key('d');
    });
    expect(api.callsTo('stopEveDrill')).toEqual([{}]);
    expect(api.callsTo('flipBitInNextMessage')).toEqual([{ contactId: 'alice' }]);
    expect(api.callsTo('runDowngradeDrill')).toEqual([{ contactId: 'alice' }]);

    await act(async () => {
      key('m');
      await new Promise((resolve) => requestAnimationFrame(resolve));
    });
    const field = within(screen.getByRole('group', { name: 'Message to Alice' })).getByRole('textbox', { name: 'Message' });
    expect(field).toHaveFocus();
    // Keys in the field are text, not commands.
    await user.type(field, 'tier{Enter}');
    expect(api.callsTo('sendMessage')).toEqual([{ contactId: 'alice', text: 'tier' }]);
    expect(api.callsTo('startEveDrill')).toHaveLength(4);
  });

  it('in live mode shows new steps one at a time, at a pace a presenter can point at', async () => {
    await stageOn(live());
    vi.useFakeTimers();
    key('l');
    expect(screen.getByRole('button', { name: /Live/ })).toHaveAttribute('aria-pressed', 'true');
    act(() => vi.advanceTimersByTime(LIVE_STEP_MS - 1));
    expect(current()).toBe('SYN');
    act(() => vi.advanceTimersByTime(1));
    expect(current()).toBe('SYN/ACK');
    act(() => vi.advanceTimersByTime(LIVE_STEP_MS));
    expect(current()).toBe('ACK');
    key('ArrowLeft'); // a step by hand leaves live mode
    act(() => vi.advanceTimersByTime(LIVE_STEP_MS * 3));
    expect(current()).toBe('SYN/ACK');
    expect(progress()).not.toMatch(/live/);
  });

  it('replays a saved session (no drills there) and refuses a file that is not one', async () => {
    const api = live([]);
    const { user } = await stageOn(api);
    expect(screen.getByText(/Nothing on the wire yet/)).toBeInTheDocument();
    const input = screen.getByTestId('stage-session-file');
    await user.upload(input, new File(['nope'], 'notes.json'));
    expect(await screen.findByRole('alert')).toHaveTextContent('This file is not a Lockstep session: it is not JSON.');
    const saved = { format: 'lockstep-session', version: 1, events: stamp([...dialerSession('c7', 'alice'), ...tamperThroughEve('c8', 'eve1-1')]) };
    await user.upload(input, new File([JSON.stringify(saved)], 'talk.json'));
    expect(await screen.findByText('Saved session “talk.json”')).toBeInTheDocument();
    expect(progress()).toMatch(/^Step 1 of \d+/);
    expect(current()).toBe('SYN');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Connection 1: This side ⇄ Alice');
    expect(screen.queryByRole('group', { name: /^Drills with/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Back to live' }));
    expect(screen.getByText(/Nothing on the wire yet/)).toBeInTheDocument();
  });
});
