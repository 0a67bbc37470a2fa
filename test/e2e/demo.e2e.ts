/**
 * `npm start -- --demo` as scripts/start.mjs runs it, on the stand-in: the preparation
 * (`--demo-setup`) in a fresh home, then Alice's and Bob's windows side by side with the same
 * flags. Both open on their own identities, the other already pinned and verified; they chat.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { DEMO_PEERS } from '../../main/core/demo/demo-profiles';
import type { ContactView } from '../../shared/views';
import { DEMO_LAUNCHES, DEMO_SETUP_ARGS } from '../../scripts/demo-launches.mjs';
import { DesktopApp, newHome } from './harness/desktop-app';
import { withEngineStory } from './harness/engines';
import { closePeer, openChat, peerOf, type Peer } from './harness/peer';
import { useStage, valueOf } from './harness/stage';
import { checkAccessibility, screenshot, waitForText } from './harness/ui';

useStage();
const home = newHome('demo');
const peers: Peer[] = [];

afterAll(async () => {
  for (const peer of peers) await closePeer(peer);
});

describe('the one-laptop demo', () => {
  it('prepares Alice and Bob, opens both windows pinned and verified, and they chat', async () => {
    // The windows listen where the prepared contacts will dial.
    expect(DEMO_LAUNCHES.map((l) => [l.profile, l.port])).toEqual(DEMO_PEERS.map((p) => [p.profile, p.port]));

    const setup = await DesktopApp.launch({ label: 'Demo setup', home, args: DEMO_SETUP_ARGS });
    expect(await setup.exited, setup.log()).toBe(0);
    expect(setup.errorBoxes).toEqual([]);

    const apps = DEMO_LAUNCHES.map((launch, i) => DesktopApp.launch({ label: DEMO_PEERS[i]!.name, home, args: launch.args }));
    for (const [i, app] of (await Promise.all(apps)).entries()) peers.push(await peerOf(app, DEMO_PEERS[i]!.name, DEMO_LAUNCHES[i]!.port));
    const [alice, bob] = peers as [Peer, Peer];

    await withEngineStory(
      () => [alice, bob],
      async () => {
        // Each opens on its own identity, with the other as a verified contact under the other's pin.
        const [aliceId, bobId] = [await alice.identity(), await bob.identity()];
        expect([aliceId.name, bobId.name]).toEqual(['Alice', 'Bob']);
        const bobAtAlice = (valueOf(await alice.call('listContacts', {})) as ContactView[]).find((c) => c.name === 'Bob');
        const aliceAtBob = (valueOf(await bob.call('listContacts', {})) as ContactView[]).find((c) => c.name === 'Alice');
        expect(bobAtAlice).toMatchObject({ pin: bobId.pin, verified: true });
        expect(aliceAtBob).toMatchObject({ pin: aliceId.pin, verified: true });

        // Side by side: each window takes half of the stand-in's 1920×1080 screen.
        const size = (p: Peer) => p.page.evaluate(() => [(globalThis as unknown as { innerWidth: number }).innerWidth, (globalThis as unknown as { innerHeight: number }).innerHeight]);
        expect(await size(alice)).toEqual([960, 1080]);
        expect(await size(bob)).toEqual([960, 1080]);

        // The presenter works in Alice's window; Bob's app is in the background (its own desktop, its own focus).
        alice.app.focus(alice.contentsId);
        bob.app.blur();
        await openChat(alice, 'Bob');
        await alice.page.getByRole('img', { name: 'Verified', exact: true }).first().waitFor();
        const hello = 'Hello Bob, this is the demo.';
        await alice.page.getByRole('textbox', { name: 'Message' }).fill(hello);
        await alice.page.getByRole('button', { name: 'Send' }).click();
        // Bob's window was not focused: the OS notification names who wrote, never what.
        const notice = await bob.app.until('the notification of Alice’s message', () => bob.app.notifications[0]);
        expect(notice).toEqual({ title: 'Alice', body: 'New message' });
        bob.app.focus(bob.contentsId);
        await openChat(bob, 'Alice');
        const bobLog = bob.page.getByRole('log', { name: 'Messages with Alice' });
        await bobLog.getByText(hello, { exact: true }).waitFor({ timeout: 20_000 });
        const reply = 'Hi Alice, loud and clear.';
        await bob.page.getByRole('textbox', { name: 'Message' }).fill(reply);
        await bob.page.getByRole('button', { name: 'Send' }).click();
        const aliceLog = alice.page.getByRole('log', { name: 'Messages with Bob' });
        await aliceLog.getByText(reply, { exact: true }).waitFor({ timeout: 20_000 });
        await waitForText(aliceLog.getByRole('listitem').filter({ hasText: hello }), (t) => t.includes('Delivered'), "Alice's message marked delivered");
        // Alice's window had the focus when Bob's reply came: no notification there.
        expect(alice.app.notifications).toEqual([]);

        // --demo reached the engine: the keylog events carry the secret values (clearly marked in the panel).
        const keylog = alice.events.of('tls.keylog');
        expect(keylog.length).toBeGreaterThan(0);
        expect(keylog.every((e) => typeof e.detail.secret === 'string' && e.detail.secret.length > 0)).toBe(true);

        await screenshot(alice.page, 'demo-01-alice');
        await screenshot(bob.page, 'demo-02-bob');
        const axe = await checkAccessibility(alice.page, 'demo window (Alice)');
        expect(axe.blocking, `serious/critical axe violations:\n${axe.blocking.join('\n')}`).toEqual([]);
        expect([...alice.problems.all, ...bob.problems.all]).toEqual([]);
      },
    );
  }, 180_000);
});
