import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { makeContact } from '../../test/fake-api';
import { bobIdentity, dialerSession, stamp } from '../../test/fixtures';
import { DrillFakeApi } from '../wire/drill-fake';
import { renderWith } from '../wire/render-wire';
import { AUTOPLAY_MS, PresenterMode } from './presenter-mode';

function live() {
  const api = new DrillFakeApi();
  api.identity = bobIdentity;
  api.contacts = [makeContact({ id: 'alice', name: 'Alice', state: 'ready', connId: 'c1' })];
  api.backlog = stamp(dialerSession('c1', 'alice'));
  return api;
}

const progress = () => screen.getByText(/^Step \d+ of \d+$/).textContent;

afterEach(() => vi.useRealTimers());

describe('presenter mode', () => {
  it('replays the recorded connection one step at a time: Forward, Back, arrow keys', async () => {
    const { user } = await renderWith(live(), <PresenterMode onExit={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Presenter mode' });
    const total = Number(/of (\d+)/.exec(progress()!)![1]);
    expect(total).toBeGreaterThan(10);
    expect(progress()).toBe(`Step 1 of ${total}`);
    expect(within(dialog).getByRole('heading', { name: 'SYN' })).toBeInTheDocument();
    expect(within(dialog).getByText('Bob → Alice')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Forward' }));
    expect(progress()).toBe(`Step 2 of ${total}`);
    expect(within(dialog).getByRole('heading', { name: 'SYN/ACK' })).toBeInTheDocument();
    expect(within(dialog).getByText('Alice → Bob')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(progress()).toBe(`Step 1 of ${total}`);
    expect(screen.getByRole('button', { name: 'Back' })).toBeDisabled();

    fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(progress()).toBe(`Step 3 of ${total}`);
    fireEvent.keyDown(document.body, { key: 'ArrowLeft' });
    expect(progress()).toBe(`Step 2 of ${total}`);
    // The explanation in plain language comes with each step.
    expect(within(dialog).getByText(/./, { selector: '.presenter-explain' }).textContent!.length).toBeGreaterThan(20);
  });

  it('autoplays a step every interval and pauses', async () => {
    await renderWith(live(), <PresenterMode onExit={() => {}} />);
    vi.useFakeTimers();
    fireEvent.click(screen.getByRole('button', { name: 'Autoplay' }));
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(AUTOPLAY_MS));
    act(() => vi.advanceTimersByTime(AUTOPLAY_MS));
    expect(progress()).toMatch(/^Step 3 of/);
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => vi.advanceTimersByTime(AUTOPLAY_MS * 3));
    expect(progress()).toMatch(/^Step 3 of/);
  });

  it('loads a saved session and replays it without the engine’s events', async () => {
    const api = new DrillFakeApi();
    api.identity = bobIdentity;
    const { user } = await renderWith(api, <PresenterMode onExit={() => {}} />);
    expect(screen.getByText(/No recorded connection yet/)).toBeInTheDocument();

    const saved = { format: 'lockstep-session', version: 1, events: stamp(dialerSession('c7', 'alice')) };
    await user.upload(screen.getByTestId('session-file'), new File([JSON.stringify(saved)], 'talk.json', { type: 'application/json' }));
    expect(await screen.findByText(/Replaying the saved session “talk.json”/)).toBeInTheDocument();
    expect(progress()).toMatch(/^Step 1 of \d+$/);
    expect(screen.getByRole('combobox', { name: 'Recorded connection' })).toHaveDisplayValue(/^c7 · Alice/);
    await user.click(screen.getByRole('button', { name: 'Forward' }));
    expect(progress()).toMatch(/^Step 2 of/);
  });

  it('rejects a file that is not a session, or a damaged one, with a clear sentence', async () => {
    const { user } = await renderWith(live(), <PresenterMode onExit={() => {}} />);
    const input = screen.getByTestId('session-file');
    await user.upload(input, new File(['hello'], 'notes.json', { type: 'application/json' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This file is not a Lockstep session: it is not JSON.');
    await user.upload(input, new File([JSON.stringify({ format: 'pcap', events: [] })], 'x.json'));
    expect(await screen.findByText(/its "format" is not "lockstep-session"/)).toBeInTheDocument();
    await user.upload(input, new File([JSON.stringify({ format: 'lockstep-session', version: 1, events: [{ seq: 'one' }] })], 'y.json'));
    expect(await screen.findByText(/damaged or from another version \(at events\.0\.seq/)).toBeInTheDocument();
    // The live replay is still there.
    expect(screen.queryByText(/Replaying the saved session/)).toBeNull();
    expect(progress()).toMatch(/^Step 1 of/);
  });

  it('saves the event stream as a lockstep-session file', async () => {
    const blobs: Blob[] = [];
    const names: string[] = [];
    URL.createObjectURL = (blob: Blob) => (blobs.push(blob), 'blob:x');
    URL.revokeObjectURL = () => {};
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const { user } = await renderWith(live(), <PresenterMode onExit={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Save session' }));
    // First it says what the file holds; nothing is written until the presenter agrees.
    const confirm = screen.getByRole('alertdialog');
    expect(confirm).toHaveTextContent('The session file is not encrypted');
    expect(confirm).toHaveTextContent(/the decrypted text of \d+ records?: the messages, in plaintext/);
    expect(confirm).not.toHaveTextContent('TLS secret');
    expect(names).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Save anyway' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^lockstep-session-.*\.json$/);
    const saved = JSON.parse(await blobs[0]!.text()) as { format: string; version: number; events: unknown[] };
    expect(saved.format).toBe('lockstep-session');
    expect(saved.version).toBe(1);
    expect(saved.events).toHaveLength(dialerSession().length);
    click.mockRestore();
  });

  it('names the TLS secrets a demo-mode session holds, and Cancel saves nothing', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const api = live();
    api.backlog = stamp([
      ...dialerSession('c1', 'alice'),
      { conn: 'c1', dir: 'local', layer: 'tls', kind: 'tls.keylog', summary: 'secret', detail: { label: 'CLIENT_TRAFFIC_SECRET_0', clientRandom: '1a2b', secret: 'ab'.repeat(32) } },
    ]);
    const { user } = await renderWith(api, <PresenterMode onExit={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Save session' }));
    const confirm = screen.getByRole('alertdialog');
    expect(confirm).toHaveTextContent('one TLS secret (demo mode): with them anyone can decrypt a capture of these connections');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(click).not.toHaveBeenCalled();
    click.mockRestore();
  });
});
