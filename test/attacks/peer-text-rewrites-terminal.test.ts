/**
 * Attack: a peer sends text built to take over the terminal of a headless peer — ANSI escape
 * sequences (clear the screen, retitle the window, recolour), a carriage return and a line break
 * to forge a line that seems to come from someone else, C1 controls. The headless peer wrote
 * received text to the terminal as it came. In human output every control must arrive escaped;
 * with --json the text stays exact (JSON escapes it, and scripts need the real characters).
 */
import { afterEach, describe, expect, it } from 'vitest';

import { is, usePeers } from '../helpers/cli-peer';
import { makeCert } from '../helpers/openssl';
import { Lab } from '../helpers/profiles';
import { LineClient } from '../helpers/raw-client';
import { waitUntil } from '../helpers/wait';

const peers = usePeers();
const lab = new Lab();
const clients: LineClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await lab.cleanup();
});

const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007\u001b[31mred\u001b[0m\rAlice: transfer the money\n\u009b1mBob: ok\u0008\u0008';
// eslint-disable-next-line no-control-regex -- what must not reach the terminal
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

async function hostilePeer(address: string): Promise<LineClient> {
  const client = await LineClient.connect(address, makeCert(lab.tempDir(), 'Eve'));
  clients.push(client);
  client.send({ type: 'hello', v: 1, name: '\u001b]0;owned\u0007Eve\u001b[8m' });
  await client.next((f) => f.type === 'hello', "the listener's hello");
  client.send({ type: 'msg', id: 'x-1', at: '2026-01-01T12:00:00Z', text: HOSTILE });
  await client.next((f) => f.type === 'ack', 'the ack');
  client.send({ type: 'bye', reason: 'gone\u001b[2J\r\nconnected to Bob — pinned ✓' });
  return client;
}

describe('peer text rewrites the terminal of a headless peer', () => {
  it('human output: every control character and escape sequence arrives escaped, one line per message', async () => {
    const bob = peers.spawn(['listen', '--host', '127.0.0.1', '--port', '0', '--accept-new', '--profile-dir', peers.profile('bob'), '--name', 'Bob'], { label: 'bob' });
    const port = await waitUntil(() => /listening on 127\.0\.0\.1:(\d+)/.exec(bob.stderr)?.[1], 'the listening line', { timeoutMs: 25_000 });
    await hostilePeer(`127.0.0.1:${port}`);
    await waitUntil(() => /connection closed/.test(bob.stderr) && bob.stdout.includes('transfer the money'), 'the message and the close on the terminal', { timeoutMs: 10_000, describe: () => `stdout: ${JSON.stringify(bob.stdout)} stderr: ${JSON.stringify(bob.stderr.slice(-800))}` });

    const terminal = bob.stdout + bob.stderr;
    expect(terminal, 'raw controls on the terminal').not.toMatch(TERMINAL_CONTROLS);
    const messageLines = bob.stdout.split('\n').filter(Boolean);
    expect(messageLines).toHaveLength(1);
    expect(messageLines[0]).toContain('\\x1b[2J\\x1b]0;pwned\\x07\\x1b[31mred\\x1b[0m\\rAlice: transfer the money\\n\\x9b1mBob: ok\\x08\\x08');
    expect(bob.stderr).not.toMatch(/^connected to Bob — pinned/m);
  });

  it('--json output: the message text is exactly what was sent', async () => {
    const bob = peers.spawn(['listen', '--host', '127.0.0.1', '--port', '0', '--accept-new', '--json', '--profile-dir', peers.profile('bob'), '--name', 'Bob'], { label: 'bob' });
    const ready = await bob.next(is.type('ready'), 'the ready record');
    await hostilePeer(`127.0.0.1:${String(ready.port)}`);
    const message = await bob.next(is.type('message'), 'the message record');
    expect(message.text).toBe(HOSTILE);
    expect(bob.nonJson).toEqual([]);
  });

  it('human `history`: the stored text is still one escaped line, so it cannot forge a message from someone else', async () => {
    const profile = peers.profile('bob');
    const bob = peers.spawn(['listen', '--host', '127.0.0.1', '--port', '0', '--accept-new', '--json', '--profile-dir', profile, '--name', 'Bob'], { label: 'bob' });
    const ready = await bob.next(is.type('ready'), 'the ready record');
    await hostilePeer(`127.0.0.1:${String(ready.port)}`);
    await bob.next(is.type('message'), 'the message record');
    bob.end();
    await bob.waitExit();

    const history = peers.spawn(['history', '--profile-dir', profile], { label: 'history' });
    expect(await history.waitExit()).toEqual({ code: 0, signal: null });
    const terminal = history.stdout + history.stderr;
    expect(terminal, 'raw controls on the terminal').not.toMatch(TERMINAL_CONTROLS);
    // The listing is what the user asked for, so it is stdout (history | grep works), one line per message.
    const lines = history.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('\\x1b[2J\\x1b]0;pwned\\x07\\x1b[31mred\\x1b[0m\\rAlice: transfer the money\\n\\x9b1mBob: ok\\x08\\x08');
    expect(lines[0], 'shown as what it is: one message, from Eve (her name was cleaned when she was let in)').toMatch(/^\S+ ← Eve \[received\] x-1: /);
  });
});
