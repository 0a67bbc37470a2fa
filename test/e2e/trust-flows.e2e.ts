/**
 * Making and keeping trust, in real Chromium with real engines: Bob adds Alice from the invite her
 * card shows and writes; Alice trusts the request. Carol and Dave pair with a spoken code and both
 * end up Verified. Then Bob's profile is replaced by a new identity on the same port: Alice's next
 * message raises the blocking key-change card (old and new key, no accept button); Alice compares
 * all 12 groups of the new safety number and types back the groups the engine drew: wrong ones
 * are refused, the right ones resolve it and the message goes.
 */
import type { Page } from 'playwright-core';
import { useStage, valueOf } from './harness/stage';
import { describe, expect, it } from 'vitest';

import type { ContactView } from '../../shared/views';
import { callEngine, waitUntil, withEngineStory, type Engine } from './harness/engines';
import type { Peer } from './harness/peer';
import { checkAccessibility, expectNoBlockingViolations, screenshot, textOf, ungrouped, waitForText } from './harness/ui';

const stage = useStage();
const peer = stage.peer;

/** Where a peer's app listens (the port the harness gave it with --port). */
function loopback(peer: Peer): string {
  return `127.0.0.1:${peer.port}`;
}

/** Click a contact in the sidebar and wait for its chat heading (no connection needed). */
async function selectContact(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Contacts' }).getByRole('button', { name: new RegExp(`^${name}\\b`) }).click({ timeout: 20_000 });
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

describe('trust flows', () => {
  let alice: Peer;
  let bob: Peer;

  it('Bob adds Alice from her invite and writes; Alice trusts the request', async () => {
    alice = await peer('Alice', { identity: 'Alice' });
    bob = await peer('Bob', { identity: 'Bob' });
    await withEngineStory(
      () => [alice, bob],
      async () => {
        // The invite as Alice's identity card shows it.
        const inviteText = alice.page.locator('.invite-text');
        if (!(await inviteText.isVisible())) await alice.page.getByRole('button', { name: 'Your identity and invite' }).click();
        const invite = await textOf(inviteText);
        expect(invite).toBe(valueOf(await alice.call('getNetwork', {})).invite);

        await bob.page.getByRole('button', { name: 'Add contact' }).click();
        const addDialog = bob.page.getByRole('dialog', { name: 'Add contact' });
        await addDialog.getByRole('textbox', { name: 'Invite' }).fill(invite);
        // The engine parses the invite first; the dialog shows what it says before saving.
        await addDialog.getByRole('button', { name: 'Check invite' }).click();
        await addDialog.getByRole('region', { name: 'What this invite says' }).waitFor();
        await addDialog.getByRole('button', { name: 'Save contact' }).click();
        await addDialog.waitFor({ state: 'detached' });
        await bob.page.getByRole('heading', { name: 'Alice', exact: true }).waitFor();

        const hello = 'Hi Alice, Bob here: I added you from your invite.';
        await send(bob.page, hello);
        const requestCard = alice.page.getByRole('region', { name: 'Contact request' });
        await requestCard.waitFor({ timeout: 20_000 });
        await requestCard.getByRole('button', { name: 'Trust' }).click();
        await alice.page.getByRole('log', { name: 'Messages with Bob' }).getByText(hello, { exact: true }).waitFor({ timeout: 20_000 });
        await waitForText(
          bob.page.getByRole('log', { name: 'Messages with Alice' }).getByRole('listitem').filter({ hasText: hello }),
          (t) => t.includes('Delivered'),
          'Bob’s message marked delivered',
          20_000,
        );
      },
    );
  });

  it('pairs Carol and Dave with a code: both show the other as Verified', async () => {
    const carol = await peer('Carol', { identity: 'Carol' });
    const dave = await peer('Dave', { identity: 'Dave' });
    await withEngineStory(
      () => [carol, dave],
      async () => {
        await carol.page.getByRole('button', { name: 'Pair with a code' }).click();
        const carolDialog = carol.page.getByRole('dialog', { name: 'Pair with a code' });
        await carolDialog.getByRole('tab', { name: 'Show my code' }).click();
        const codeLine = carolDialog.locator('.pairing-code');
        await codeLine.waitFor({ timeout: 20_000 });
        const code = await textOf(codeLine);
        expect(code.split(' ').length, `the code shown: ${code}`).toBeGreaterThanOrEqual(2);
        await screenshot(carol.page, 'trust-01-pairing-code-carol');
        const axe = await checkAccessibility(carol.page, 'pairing code shown (Carol)');
        const blocking = axe.blocking;
        expect(blocking, `serious/critical axe violations:\n${blocking.join('\n')}`).toEqual([]);

        await dave.page.getByRole('button', { name: 'Pair with a code' }).click();
        const daveDialog = dave.page.getByRole('dialog', { name: 'Pair with a code' });
        await daveDialog.getByRole('tab', { name: 'I have a code' }).click();
        await daveDialog.getByRole('textbox', { name: 'Address (host:port)' }).fill(loopback(carol));
        await daveDialog.getByRole('textbox', { name: 'Code' }).fill(code);
        await daveDialog.getByRole('button', { name: 'Pair' }).click();

        // Both engines pin each other, verified.
        const verifiedContact = (p: Peer, name: string) =>
          waitUntil(
            async () => (valueOf(await p.call('listContacts', {})) as ContactView[]).find((c) => c.name === name && c.verified),
            `${p.label}'s engine to hold ${name} as a verified contact`,
            30_000,
          );
        const daveAtCarol = await verifiedContact(carol, 'Dave');
        const carolAtDave = await verifiedContact(dave, 'Carol');
        expect(daveAtCarol.pin).toBe((await dave.identity()).pin);
        expect(carolAtDave.pin).toBe((await carol.identity()).pin);

        for (const [p, dialog, name] of [
          [carol, carolDialog, 'Dave'],
          [dave, daveDialog, 'Carol'],
        ] as const) {
          // The dialog may close itself on success; if it stays, its Close button ends it.
          const closed = await dialog.waitFor({ state: 'detached', timeout: 3_000 }).then(() => true, () => false);
          if (!closed) {
            await dialog.getByRole('button', { name: 'Close', exact: true }).click();
            await dialog.waitFor({ state: 'detached' });
          }
          await selectContact(p.page, name);
          await p.page.getByRole('img', { name: 'Verified', exact: true }).waitFor({ timeout: 20_000 });
        }
        await screenshot(dave.page, 'trust-02-paired-verified-dave');
      },
    );
  });

  it('raises the key-change card when Bob’s key changes; wrong digits are refused, the right ones resolve it', async () => {
    const port = bob.port;
    const oldBob = await bob.identity();
    const oldBobFingerprint = oldBob.fingerprint;
    const alicePin = (await alice.identity()).pin;
    // Alice's Bob came in as a request (he dialled her): she learns where to dial him from his invite.
    // It changes a contact she has (his address), so the engine asks first; she has seen it and agrees.
    const bobInvite = valueOf(await bob.call('getNetwork', {})).invite!;
    const unconfirmed = await alice.call('addContactFromInvite', { invite: bobInvite });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'INVITE_CHANGES_CONTACT' } });
    const added = await alice.call('addContactFromInvite', { invite: bobInvite, confirmChanges: true });
    const aliceBob = await waitUntil(
      async () => (valueOf(await alice.call('listContacts', {})) as ContactView[]).find((c) => c.pin === oldBob.pin && c.address),
      `Alice's contact Bob to have an address (adding his invite answered ${JSON.stringify(added)})`,
    );
    expect((valueOf(await alice.call('listContacts', {})) as ContactView[]).filter((c) => c.name === 'Bob')).toHaveLength(1);
    expect(aliceBob.address).toMatch(new RegExp(`:${port}$`));
    // Bob quits his app; his port is free again.
    await stage.close(bob);
    // A new identity on the same port (a reinstall, or someone else answering there), listening
    // where the app did: on every interface, since Bob's invite names his LAN address.
    const newBob = await stage.lab.withIdentity('Bob', { listen: { port }, unknownPeers: 'accept' });
    expect(newBob.messenger.identity.pin).not.toBe(oldBob.pin);

    await withEngineStory(
      () => [alice, newBob],
      async () => {
        await selectContact(alice.page, 'Bob');
        const text = 'Bob, are you still there?';
        await send(alice.page, text);

        // The refusal's warning comes first; the key-change card, with the ways forward, once it is read.
        const warning = alice.page.getByRole('alertdialog', { name: 'This is not Bob' });
        await warning.waitFor({ timeout: 30_000 });
        await warning.getByRole('button', { name: 'I understand, close this warning' }).click();
        const card = alice.page.getByRole('alertdialog', { name: 'Bob’s key changed' });
        await card.waitFor({ timeout: 30_000 });
        const oldKey = ungrouped(await textOf(card.getByRole('region', { name: 'Old key' })));
        const newKey = ungrouped(await textOf(card.getByRole('region', { name: 'New key' })));
        expect(oldKey).toContain(ungrouped(oldBobFingerprint));
        expect(newKey).toContain(ungrouped(newBob.messenger.identity.fingerprint));
        const buttons = (await card.getByRole('button').allTextContents()).map((t) => t.trim());
        expect(buttons.filter((b) => /accept|trust|allow|continue/i.test(b)), `buttons on the card: ${buttons.join(', ')}`).toEqual([]);
        await screenshot(alice.page, 'trust-03-key-change-card-alice');

        // The number the new Bob would read out, for Alice's key, and the groups Alice's engine drew.
        const groups = valueOf(await callNewBob(newBob, alicePin)).split(' ');
        const changes = valueOf(await alice.call('listKeyChanges', {})) as { contactName: string; checkGroups: number[] }[];
        const asked = changes.find((c) => c.contactName === 'Bob')!.checkGroups;

        await card.getByRole('button', { name: 'Compare safety numbers' }).click();
        await card.getByRole('checkbox', { name: 'All 12 groups match what Bob read out' }).check();
        const boxes = asked.map((g) => card.getByRole('textbox', { name: `Group ${g + 1}`, exact: true }));
        for (const [i, box] of boxes.entries()) await box.fill(i === 0 ? groups[asked[0]!]!.replace(/^./, (d) => String((Number(d) + 1) % 10)) : groups[asked[i]!]!);
        await card.getByRole('button', { name: 'Check', exact: true }).click();
        await waitForText(card.getByRole('alert'), (t) => t.includes('do not match'), 'the mismatch error for a wrong group');
        await screenshot(alice.page, 'trust-04-key-change-wrong-digits-alice');
        expect(await card.isVisible()).toBe(true);

        await boxes[0]!.fill(groups[asked[0]!]!);
        await card.getByRole('button', { name: 'Check', exact: true }).click();
        await card.waitFor({ state: 'detached', timeout: 20_000 });


        const newPin = newBob.messenger.identity.pin;
        await waitUntil(
          async () => (valueOf(await alice.call('listContacts', {})) as ContactView[]).find((c) => c.name === 'Bob')?.pin === newPin,
          'Alice’s contact Bob to hold the new pin',
        );
        await newBob.events.waitFor('message.received', () => true, 'the new Bob to receive Alice’s message', 60_000);
        const got = valueOf(await callNewBobHistory(newBob));
        expect(got).toContain(text);
      },
    );
  });

  it('removes Bob after a confirmation that says what goes: the chat closes, and the engine holds nothing of him', async () => {
    await withEngineStory(
      () => [alice],
      async () => {
        await selectContact(alice.page, 'Bob');
        const bobId = (valueOf(await alice.call('listContacts', {})) as ContactView[]).find((c) => c.name === 'Bob')!.id;
        await alice.page.getByRole('button', { name: 'Remove contact…' }).click();
        const dialog = alice.page.getByRole('dialog', { name: 'Remove Bob?' });
        await waitForText(dialog, (t) => t.includes('no longer be trusted') && t.includes('cannot be undone'), 'the removal dialog’s explanation');
        expectNoBlockingViolations(await checkAccessibility(alice.page, 'the remove-contact dialog'));
        await screenshot(alice.page, 'trust-05-remove-contact-alice');
        await dialog.getByRole('button', { name: 'Remove Bob' }).click();
        await dialog.waitFor({ state: 'detached' });
        await alice.page.getByRole('heading', { name: 'Your identity' }).waitFor({ timeout: 20_000 });
        expect(await alice.page.getByRole('navigation', { name: 'Contacts' }).getByRole('button', { name: /^Bob\b/ }).count()).toBe(0);
        expect((valueOf(await alice.call('listContacts', {})) as ContactView[]).map((c) => c.name)).not.toContain('Bob');
        expect(await alice.call('listMessages', { contactId: bobId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      },
    );
  });
});

async function callNewBob(engine: Engine, pin: string) {
  return callEngine(engine.messenger, 'safetyNumber', { pin });
}

/** Texts of the messages the new Bob holds from Alice. */
async function callNewBobHistory(engine: Engine): Promise<{ ok: true; value: string[] } | { ok: false; error: { code: string; message: string } }> {
  const contacts = await callEngine(engine.messenger, 'listContacts', {});
  if (!contacts.ok) return contacts;
  const alice = contacts.value.find((c) => c.name === 'Alice');
  if (!alice) return { ok: false, error: { code: 'NOT_FOUND', message: 'the new Bob has no contact named Alice' } };
  const history = await callEngine(engine.messenger, 'listMessages', { contactId: alice.id });
  if (!history.ok) return history;
  return { ok: true, value: history.value.map((m) => m.text) };
}
