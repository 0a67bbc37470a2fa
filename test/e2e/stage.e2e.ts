/**
 * The stage in real Chromium with real engines: Bob's window opens on the stage (as the demo's
 * second screen does) and the presenter walks the demo by keyboard alone — the TCP and TLS
 * handshake, the pin check, "meet at 6" opened in the drawer byte by byte, each drill with Eve's
 * lane and both sides' verdicts, the scoreboard lit — then a fresh window replays the saved
 * session on its stage. Each scene is shot at 1280×720 and 1920×1080 into test-artifacts/ and
 * audited there: axe (no serious or critical violation, and its AAA contrast rule), and every
 * piece of text at least the stage's minimum size and 7:1 contrast. The steps live in
 * stage-story.ts, on a Playwright Page only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { LockstepEvent } from '../../shared/events';
import type { Engine } from './harness/engines';
import { withEngineStory } from './harness/engines';
import type { Peer } from './harness/peer';
import { pinEachOther, STAGE_URL, useStage, valueOf } from './harness/stage';
import { ARTIFACTS } from './harness/ui';
import { atBothSizes, beatOnScreen, missingInOrder, pressDrill, pressUntil, sendFromStage, waitForStage, type BeatOnScreen } from './stage-story';

const stage = useStage();
const SESSION_PATH = join(ARTIFACTS, 'stage-session.json');

/** Every audit of a shot passed: axe, axe's AAA contrast, the stage's own size and contrast test. */
async function shoot(page: Peer['page'], name: string): Promise<void> {
  for (const { size, audit } of await atBothSizes(page, ARTIFACTS, name)) {
    const m = audit.measured;
    console.log(`${name} at ${size}: ${m.samples} texts, smallest ${m.smallestPx.toFixed(1)} px, lowest contrast ${m.lowestContrast.toFixed(2)}:1; axe ${audit.axe.length}, AAA ${audit.aaa.length}`);
    expect(audit.axe, `axe at ${size}, ${name}`).toEqual([]);
    expect(audit.aaa, `axe AAA contrast at ${size}, ${name}`).toEqual([]);
    expect(m.failures, `text size and contrast at ${size}, ${name}`).toEqual([]);
    expect(m.samples).toBeGreaterThan(10);
  }
}

/** The texts of one lane in the scene on screen. */
async function laneTexts(page: Peer['page'], lane: string): Promise<string[]> {
  return page.locator(`.beat.lane-${lane} .beat-button`).allTextContents();
}

function eveVerdict(engine: Pick<Engine, 'events'>, drill: string) {
  return engine.events.waitFor('drill.verdict', (e) => (e.conn ?? '').startsWith('eve') && e.detail.drill === drill, `Eve's ${drill} verdict`, 30_000);
}


const isEveVerdict = (b: BeatOnScreen) => b.lane === 'eve' && b.title.startsWith('Eve — ');

describe('the stage', () => {
  it('walks the demo by keyboard alone, each step readable from the back row at both projector sizes', async () => {
    const alice = await stage.peer('Alice', { identity: 'Alice' });
    const bob = await stage.peer('Bob', { identity: 'Bob' });
    await withEngineStory(
      () => [alice, bob],
      async () => {
        // First contact (demo step 2) through the engines: each side pins the other's invite.
        const aliceForBob = await pinEachOther(bob, alice);

        const page = bob.page;
        await page.setViewportSize({ width: 1280, height: 720 });
        await bob.load(STAGE_URL);
        await waitForStage(page);
        await page.getByText('Nothing on the wire yet').waitFor();

        // Steps 3–4: Bob dials; the presenter walks the handshake with Space.
        valueOf(await bob.call('connectContact', { contactId: aliceForBob.id }));
        const handshake = await pressUntil(page, ' ', (b) => b.title === 'Pin check ✓', 'the pin check');
        const titles = handshake.map((b) => b.title);
        const missing = missingInOrder(titles, ['SYN', 'SYN/ACK', 'ACK', 'ClientHello', 'ServerHello', 'EncryptedExtensions', 'Certificate', 'CertificateVerify', 'Finished', 'Pin check ✓']);
        expect(missing, missing ?? '').toBeNull();
        expect(handshake.map((b) => b.step)).toEqual(handshake.map((_, i) => handshake[0]!.step + i)); // one step per press
        expect(handshake.find((b) => b.title === 'ClientHello')).toMatchObject({ lane: 'wire' });
        expect(handshake.at(-1)).toMatchObject({ lane: 'self' });
        await shoot(page, 'stage-01-handshake');
        await pressUntil(page, ' ', (b) => b.title === 'Hello from Alice', 'Alice’s hello, her own pin check passed');
        expect((await beatOnScreen(page)).lane).toBe('peer');

        // Step 5: "meet at 6", its record opened in the drawer.
        await sendFromStage(page, 'meet at 6');
        await pressUntil(page, 'ArrowDown', (b) => b.lane === 'wire' && b.note.includes('meet at 6'), 'the record that carried “meet at 6”');
        await page.keyboard.press('Enter');
        const drawer = page.getByRole('complementary', { name: 'Encrypted record' });
        await drawer.getByText(/Decrypted independently, not by OpenSSL: “meet at 6”/).waitFor({ timeout: 20_000 });
        expect(await drawer.getByTestId('stage-plaintext').textContent()).toBe('meet at 6');
        expect((await drawer.getByRole('definition').first().textContent())?.startsWith('17')).toBe(true);
        const carried = await bob.events.waitFor('tls.record', (e) => e.dir === 'out' && (e.detail.decrypted?.plaintext ?? '').includes('meet at 6'), 'the record of “meet at 6”');
        expect((await drawer.getByTestId('stage-ciphertext').textContent())?.replace(/[^0-9a-f]/g, '')).toBe(carried.detail.bodyPreview);
        await shoot(page, 'stage-02-record-drawer');
        await page.keyboard.press('Escape');
        await drawer.waitFor({ state: 'detached' });

        // Step 6: Eve listens. Her lane shows only records; the text never appears there.
        const overheard = 'Eve must not read this: the key is under the mat';
        await pressDrill(page, 'e', /Eavesdropper.*started/);
        await pressUntil(page, 'PageDown', (b) => b.scene.startsWith('Eve listens'), 'the connection through Eve');
        await sendFromStage(page, overheard);
        await bob.events.waitFor('drill.eve', (e) => e.detail.mode === 'passive' && e.detail.from === 'dialer' && e.detail.hex.startsWith('17'), 'Eve relaying an encrypted record');
        await pressDrill(page, 'x', /Eve stopped/);
        await eveVerdict(bob, 'eavesdropper');
        await pressUntil(page, 'ArrowDown', isEveVerdict, 'Eve’s verdict on what she saw');
        const eveSaw = (await laneTexts(page, 'eve')).join(' ');
        expect(eveSaw).toMatch(/Eve sees ciphertext/);
        expect(eveSaw).not.toContain('under the mat');
        await shoot(page, 'stage-03-eavesdropper');

        // Step 7: Eve flips a bit of Bob's next message; Alice refuses it; both verdicts.
        await pressDrill(page, 't', /Tamper.*started/);
        await sendFromStage(page, 'This one gets a flipped bit on the way');
        await eveVerdict(bob, 'tamper');
        await pressUntil(page, 'PageDown', (b) => b.scene.startsWith('Eve flips a bit'), 'the tampered connection');
        await pressUntil(page, 'ArrowDown', isEveVerdict, 'Eve’s verdict on the flipped bit');
        expect(await laneTexts(page, 'peer')).toEqual(expect.arrayContaining([expect.stringMatching(/Refused by Alice.*bad_record_mac/)]));
        expect(await laneTexts(page, 'self')).toEqual(expect.arrayContaining([expect.stringMatching(/Tamper defeated ✓/)]));
        expect(await laneTexts(page, 'eve')).toEqual(expect.arrayContaining([expect.stringMatching(/Eve flips a bit.*bit 0 of byte 7/)]));
        await shoot(page, 'stage-04-tamper');
        await pressDrill(page, 'x', /Eve stopped/);

        // Step 9: a replayed record.
        await pressDrill(page, 'r', /Replay.*started/);
        await sendFromStage(page, 'Send me once, not twice');
        await eveVerdict(bob, 'replay');
        await pressUntil(page, 'PageDown', (b) => b.scene.startsWith('Eve replays'), 'the replayed connection');
        await pressUntil(page, 'ArrowDown', isEveVerdict, 'Eve’s verdict on the replay');
        expect(await laneTexts(page, 'eve')).toEqual(expect.arrayContaining([expect.stringMatching(/Eve replays a record/)]));
        // The copy is refused at Alice after the original was acknowledged: Bob sees her hang up.
        expect(await laneTexts(page, 'peer')).toEqual(expect.arrayContaining([expect.stringMatching(/Refused by Alice|Alice closed the connection/)]));
        await shoot(page, 'stage-05-replay');
        await pressDrill(page, 'x', /Eve stopped/);

        // Step 8: Eve answers with her own key; Bob's pin check refuses her.
        await pressDrill(page, 'i', /Impostor.*started/);
        await eveVerdict(bob, 'impostor');
        await pressUntil(page, 'PageDown', (b) => b.scene.startsWith('Eve answers with her own key'), 'the impostor’s connection');
        await pressUntil(page, 'ArrowDown', isEveVerdict, 'Eve’s verdict on the impostor');
        expect(await laneTexts(page, 'self')).toEqual(expect.arrayContaining([expect.stringMatching(/Pin check ✗ refused/), expect.stringMatching(/Impostor defeated ✓/)]));
        expect(await laneTexts(page, 'eve')).toEqual(expect.arrayContaining([expect.stringMatching(/Eve answers Bob with her own key/)]));
        await shoot(page, 'stage-06-impostor');
        await pressDrill(page, 'x', /Eve stopped/);

        // Step 9 too: a TLS 1.2 downgrade, refused.
        await page.keyboard.press('d');
        await bob.events.waitFor('drill.verdict', (e) => e.detail.drill === 'downgrade', 'the downgrade verdict');
        await pressUntil(page, 'PageDown', (b) => b.scene.startsWith('A TLS 1.2 downgrade'), 'the downgrade attempt');
        await pressUntil(page, 'ArrowDown', (b) => /^TLS 1\.2 downgrade defeated/.test(b.title), 'the downgrade verdict on the stage');
        await shoot(page, 'stage-07-downgrade');

        // The scoreboard, all three lit, each pointing at its step.
        await page.keyboard.press('End');
        const board = page.getByRole('region', { name: 'Scoreboard' });
        for (const name of ['Encryption', 'Integrity', 'Authentication']) {
          await board.getByRole('button', { name: new RegExp(`^${name} shown at step \\d+$`) }).waitFor({ timeout: 20_000 });
        }
        await shoot(page, 'stage-08-scoreboard');

        // Motion: the highlight fades in, unless the person asked for less motion.
        const animation = () => page.locator('.beat.is-current > .beat-button').evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { animationName: string } }).getComputedStyle(e).animationName);
        expect(await animation()).toBe('stage-beat-in');
        await page.emulateMedia({ reducedMotion: 'reduce' });
        expect(await animation()).toBe('none');
        await page.emulateMedia({ reducedMotion: 'no-preference' });

        // What presenter mode's Save writes: the engine's event stream as a lockstep-session file.
        const events = valueOf(await bob.call('getEventBacklog', {})) as LockstepEvent[];
        writeFileSync(SESSION_PATH, JSON.stringify({ format: 'lockstep-session', version: 1, events }));
        expect([...alice.problems.all, ...bob.problems.all]).toEqual([]);
      },
    );
  }, 300_000);

  it('replays the saved session on the stage of a window that never connected to anyone', async () => {
    const carol = await stage.peer('Carol', { identity: 'Carol' });
    expect(valueOf(await carol.call('listContacts', {}))).toEqual([]);
    const page = carol.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await carol.load(STAGE_URL);
    await waitForStage(page);
    await page.getByTestId('stage-session-file').setInputFiles(SESSION_PATH);
    await page.getByText('Saved session “stage-session.json”').waitFor();
    const walked = await pressUntil(page, ' ', (b) => b.title === 'ServerHello', 'the recorded ServerHello');
    expect(walked[0]).toMatchObject({ step: 1, title: 'SYN', scene: expect.stringMatching(/^Connection 1: This side ⇄ Alice/) });
    await shoot(page, 'stage-09-saved-session');
    expect(carol.problems.all).toEqual([]);
  });
});
