/**
 * The post-quantum handshake on the stage, in real Chromium with real engines: Bob dials Alice,
 * the presenter walks to the ServerHello and opens it (the X25519MLKEM768 key share named as its
 * ML-KEM-768 and X25519 parts), then the handshake's verdict on a recording, then "Where the keys
 * come from"; then presses C, the classical comparison, and opens its verdict: both handshakes side
 * by side. Screenshots at both projector sizes into test-artifacts/ (pq-*.png), each with axe.
 * Bob's window is the desktop app as shipped (the built main bundle and preload, through the stand-in).
 */
import { describe, expect, it } from 'vitest';

import { withEngineStory } from './harness/engines';
import type { Peer } from './harness/peer';
import { pinEachOther, STAGE_URL, useStage, valueOf } from './harness/stage';
import { ARTIFACTS } from './harness/ui';
import { atBothSizes, beatOnScreen, pressDrill, pressUntil, waitForStage } from './stage-story';

const stage = useStage();

/** Shoot at both sizes; axe must find nothing serious. The stage's size and contrast measure is printed. */
async function shoot(page: Peer['page'], name: string): Promise<void> {
  for (const { size, audit, path } of await atBothSizes(page, ARTIFACTS, name)) {
    console.log(`${path}: axe ${audit.axe.length}, AAA ${audit.aaa.length}, text failures ${audit.measured.failures.length}`);
    expect(audit.axe, `axe at ${size}, ${name}`).toEqual([]);
  }
}

describe('the post-quantum handshake on the stage', () => {
  it('shows the hybrid key exchange, its parts and its verdict, and the classical comparison side by side', async () => {
    const alice = await stage.peer('Alice', { identity: 'Alice' });
    const bob = await stage.peer('Bob', { identity: 'Bob' });
    await withEngineStory(
      () => [alice, bob],
      async () => {
        const aliceForBob = await pinEachOther(bob, alice);

        const page = bob.page;
        await page.setViewportSize({ width: 1280, height: 720 });
        await bob.load(STAGE_URL);
        await waitForStage(page);
        valueOf(await bob.call('connectContact', { contactId: aliceForBob.id }));

        // The ServerHello: the hybrid share, both parts named, in the drawer.
        await pressUntil(page, ' ', (b) => b.title === 'ServerHello', 'the ServerHello');
        expect((await beatOnScreen(page)).note).toContain('X25519MLKEM768 (1,120 bytes = ML-KEM-768 ciphertext 1,088 + X25519 public key 32)');
        await page.keyboard.press('Enter');
        const hello = page.getByRole('complementary', { name: 'ServerHello' });
        await hello.getByText(/Key share X25519MLKEM768 \(1,120 bytes = ML-KEM-768 ciphertext 1,088/).first().waitFor();
        await shoot(page, 'pq-01-hybrid-server-hello');

        // Where the keys come from: both parts of each share, and the hybrid secret.
        await hello.getByRole('button', { name: 'Where the keys come from' }).click();
        const keys = page.getByRole('complementary', { name: 'Where the keys come from' });
        await keys.getByText('Hybrid shared secret: ML-KEM-768 secret ‖ X25519 secret').waitFor();
        await keys.getByText(/ClientHello key share: X25519MLKEM768, 1216 bytes \(ML-KEM-768 encapsulation key 1184 \+ X25519 public key 32\)/).waitFor();
        await shoot(page, 'pq-02-where-the-keys-come-from');
        await page.keyboard.press('Escape');
        await keys.waitFor({ state: 'detached' });

        // The handshake's verdict on a recording.
        await pressUntil(page, ' ', (b) => b.title === 'Handshake complete', 'the end of the TLS handshake');
        expect((await beatOnScreen(page)).note).toContain('X25519MLKEM768 (post-quantum hybrid)');
        await page.keyboard.press('Enter');
        const done = page.getByRole('complementary', { name: 'Handshake complete' });
        await done.getByText(/harvest now, decrypt later/).first().waitFor();
        await shoot(page, 'pq-03-hybrid-verdict');
        await page.keyboard.press('Escape');

        // C: once more with X25519 alone, then both handshakes side by side.
        await pressDrill(page, 'c', /once with X25519 alone/);
        await bob.events.waitFor('drill.verdict', (e) => e.detail.drill === 'classical', 'the classical comparison', 30_000);
        await pressUntil(page, 'PageDown', (b) => b.scene.startsWith('Connection 2'), 'the classical connection');
        await pressUntil(page, 'ArrowDown', (b) => b.title.startsWith('Classical-only handshake'), 'the comparison verdict');
        await page.keyboard.press('Enter');
        const table = page.getByRole('table', { name: 'Hybrid and classical handshakes compared' });
        await table.waitFor();
        expect(await table.getByRole('row', { name: /^Group/ }).textContent()).toMatch(/X25519MLKEM768.*X25519/);
        expect(await table.getByRole('row', { name: /^A recording, later/ }).textContent()).toMatch(/Safe against harvest now.*Classical only \(X25519\)/);
        await shoot(page, 'pq-04-classical-comparison');
      },
    );
  }, 120_000);
});
