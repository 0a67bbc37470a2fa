/**
 * Presenter mode in real Chromium on a real connection's events: stepping forward and back (the
 * buttons and the arrow keys), autoplay and pause, saving the session as a download, and loading
 * it in a fresh window bound to a fresh engine that never connected to anyone — the replay shows
 * the recorded handshake. A file that is not a session is refused with a clear error.
 */
import { useStage, valueOf } from './harness/stage';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import type { ContactView } from '../../shared/views';
import { waitUntil, withEngineStory } from './harness/engines';
import { openChat } from './harness/peer';
import { ARTIFACTS, checkAccessibility, screenshot, textOf, waitForText } from './harness/ui';

const stage = useStage();
const peer = stage.peer;

/** "Step 3 of 41" → [3, 41]. */
async function progress(dialog: Locator): Promise<[number, number]> {
  const text = await textOf(dialog.locator('.presenter-progress'));
  const match = /^Step (\d+) of (\d+)$/.exec(text);
  if (!match) throw new Error(`the presenter's progress line reads ${JSON.stringify(text)}, not "Step N of M"`);
  return [Number(match[1]), Number(match[2])];
}

async function waitForStep(dialog: Locator, n: number, what: string): Promise<void> {
  await waitForText(dialog.locator('.presenter-progress'), (t) => t.startsWith(`Step ${n} of `), what);
}

/** Every step title of the replay, walked from the first with the Forward button. */
async function walkTitles(dialog: Locator): Promise<string[]> {
  const back = dialog.getByRole('button', { name: 'Back', exact: true });
  while ((await progress(dialog))[0] > 1) await back.click();
  const [, total] = await progress(dialog);
  const titles = [await textOf(dialog.locator('.presenter-title'))];
  const forward = dialog.getByRole('button', { name: 'Forward', exact: true });
  for (let n = 2; n <= total; n++) {
    await forward.click();
    await waitForStep(dialog, n, `step ${n} of the replay`);
    titles.push(await textOf(dialog.locator('.presenter-title')));
  }
  return titles;
}

/** `needles` appear in `titles` in this order. */
function missingInOrder(titles: readonly string[], needles: readonly string[]): string | null {
  let from = 0;
  for (const needle of needles) {
    const at = titles.findIndex((t, i) => i >= from && t === needle);
    if (at < 0) return `"${needle}" not found after step ${from + 1} in: ${titles.join(' | ')}`;
    from = at + 1;
  }
  return null;
}

const HANDSHAKE = ['ClientHello', 'ServerHello', 'Finished'];

describe('presenter mode', () => {
  it('steps through a real connection, saves it, and replays it in a window with no connections', async () => {
    const bob = await peer('Bob', { identity: 'Bob' });
    const alice = await peer('Alice', { identity: 'Alice' });
    await withEngineStory(
      () => [alice, bob],
      async () => {
        // Each pastes the other's invite: both keys pinned before the first connection.
        const invite = valueOf(await bob.call('getNetwork', {})).invite!;
        valueOf(await bob.call('addContactFromInvite', { invite: valueOf(await alice.call('getNetwork', {})).invite! }));
        valueOf(await alice.call('addContactFromInvite', { invite })) as ContactView;
        await alice.reload();
        await openChat(alice, 'Bob');
        const text = 'A message for the replay.';
        await alice.page.getByRole('textbox', { name: 'Message' }).fill(text);
        await alice.page.getByRole('button', { name: 'Send' }).click();
        await alice.events.waitFor('message.delivered', () => true, 'Alice’s message to be delivered');

        // Presenter mode on the live events.
        await alice.page.getByRole('button', { name: 'Presenter mode' }).click();
        const dialog = alice.page.getByRole('dialog', { name: 'Presenter mode' });
        await dialog.waitFor();
        await waitForStep(dialog, 1, 'the first step of the live connection');
        const [, total] = await progress(dialog);
        expect(total, 'steps in the recorded connection').toBeGreaterThan(5);
        const firstTitle = await textOf(dialog.locator('.presenter-title'));

        const forward = dialog.getByRole('button', { name: 'Forward', exact: true });
        const back = dialog.getByRole('button', { name: 'Back', exact: true });
        await forward.click();
        await waitForStep(dialog, 2, 'step 2 after Forward');
        await forward.click();
        await waitForStep(dialog, 3, 'step 3 after Forward');
        await back.click();
        await waitForStep(dialog, 2, 'step 2 after Back');
        await alice.page.keyboard.press('ArrowRight');
        await waitForStep(dialog, 3, 'step 3 after →');
        await alice.page.keyboard.press('ArrowRight');
        await waitForStep(dialog, 4, 'step 4 after →');
        await alice.page.keyboard.press('ArrowLeft');
        await waitForStep(dialog, 3, 'step 3 after ←');
        await screenshot(alice.page, 'presenter-01-step-alice');
        const axe = await checkAccessibility(alice.page, 'presenter mode (Alice)');
        expect(axe.blocking, `serious/critical axe violations:\n${axe.blocking.join('\n')}`).toEqual([]);

        // Autoplay moves on by itself; Pause stops it.
        await dialog.getByRole('button', { name: 'Autoplay' }).click();
        const pause = dialog.getByRole('button', { name: 'Pause' });
        await pause.waitFor();
        await waitUntil(async () => (await progress(dialog))[0] > 3, 'autoplay to move past step 3', 30_000);
        await pause.click();
        await dialog.getByRole('button', { name: 'Autoplay' }).waitFor();
        const [stoppedAt] = await progress(dialog);
        expect(stoppedAt).toBeGreaterThan(3);

        const liveTitles = await walkTitles(dialog);
        expect(liveTitles[0]).toBe(firstTitle);
        const liveMissing = missingInOrder(liveTitles, HANDSHAKE);
        expect(liveMissing, liveMissing ?? '').toBeNull();

        // Save session: first a warning that the file holds the plaintext, then a download of JSON.
        await dialog.getByRole('button', { name: 'Save session' }).click();
        await dialog.getByRole('alertdialog').getByText('The session file is not encrypted.').waitFor();
        await screenshot(alice.page, 'presenter-01a-save-warning-alice');
        const warningAxe = await checkAccessibility(alice.page, 'save session warning (Alice)');
        expect(warningAxe.blocking, `serious/critical axe violations:\n${warningAxe.blocking.join('\n')}`).toEqual([]);
        await dialog.getByRole('button', { name: 'Save anyway' }).click();
        const download = await alice.app.until('the saved session', () => alice.app.downloads.find((d) => d.suggestedName.endsWith('.json')), 20_000);
        const sessionPath = join(ARTIFACTS, `presenter-${download.suggestedName}`);
        copyFileSync(download.path, sessionPath);
        const saved = readFileSync(sessionPath, 'utf8');
        expect(() => JSON.parse(saved) as unknown).not.toThrow();

        // A fresh app, with no contacts and no connections.
        const carol = await peer('Carol', { identity: 'Carol' });
        expect(valueOf(await carol.call('listContacts', {}))).toEqual([]);
        await carol.page.getByRole('heading', { name: 'Your identity' }).waitFor();
        await carol.page.getByRole('button', { name: 'Presenter mode' }).click();
        const carolDialog = carol.page.getByRole('dialog', { name: 'Presenter mode' });
        await carolDialog.waitFor();
        await carolDialog.getByText('No recorded connection yet').waitFor();

        // A bad file first: a clear error, nothing replayed.
        const badPath = join(ARTIFACTS, 'presenter-not-a-session.json');
        writeFileSync(badPath, '{"this is": "not a Lockstep session"}');
        await carolDialog.locator('input[type=file]').setInputFiles(badPath);
        const error = carolDialog.getByRole('alert');
        await error.waitFor({ timeout: 15_000 });
        const errorText = await waitForText(error, (t) => t.length > 10 && t !== '(not on the page)', 'the error for a file that is not a session');
        console.log(`error shown for a bad session file: ${errorText}`);
        expect(errorText.toLowerCase()).toMatch(/session|lockstep/);
        expect(await carolDialog.locator('.presenter-step').count()).toBe(0);

        // The saved session replays the recorded connection.
        await carolDialog.locator('input[type=file]').setInputFiles(sessionPath);
        await waitForText(carolDialog.locator('.presenter-source'), (t) => t.includes('Replaying the saved session'), 'the loaded session');
        expect(await error.count(), 'the error is gone once a good file is loaded').toBe(0);
        await waitForStep(carolDialog, 1, 'the first step of the loaded session');
        const loadedTitles = await walkTitles(carolDialog);
        const loadedMissing = missingInOrder(loadedTitles, HANDSHAKE);
        expect(loadedMissing, loadedMissing ?? '').toBeNull();
        expect(loadedTitles).toEqual(liveTitles);
        // Show the ServerHello step for the screenshot.
        const serverHelloAt = loadedTitles.indexOf('ServerHello') + 1;
        const carolBack = carolDialog.getByRole('button', { name: 'Back', exact: true });
        while ((await progress(carolDialog))[0] > serverHelloAt) await carolBack.click();
        expect(await textOf(carolDialog.locator('.presenter-title'))).toBe('ServerHello');
        await screenshot(carol.page, 'presenter-02-loaded-session-carol');

        expect([...alice.problems.all, ...carol.problems.all]).toEqual([]);
      },
    );
  });
});
