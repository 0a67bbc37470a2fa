/**
 * The demo as a new user lives it, in real headless Chromium on the built renderer, with two
 * real engines (Alice and Bob) on loopback, each bound into its own page: first run, the invite,
 * the contact request and its safety number, trust, messages both ways with delivered marks, the
 * under-the-hood panel with the real handshake — and an impostor (Mallory) answering at an
 * address Alice was given for Bob. Every expected value is read from an engine, never hard-coded.
 * Screenshots go to test-artifacts/; axe checks each main screen.
 */
import { describe, expect, it } from 'vitest';

import { withDefaults } from '../../main/core/messenger/options';
import type { ContactView, IdentityView, NetworkView } from '../../shared/views';
import { addressOf, callEngine, waitUntil, withEngineStory } from './harness/engines';
import { openChat, type Peer } from './harness/peer';
import { useStage, valueOf } from './harness/stage';
import { checkAccessibility, completeFirstRun, expectNoBlockingViolations, diagramSteps, screenshot, textOf, ungrouped, waitForText, type DiagramStep } from './harness/ui';

const stage = useStage();
const peer = stage.peer;

/** `needles` appear in `steps` in this order (other steps may sit between them). */
function missingInOrder(steps: readonly DiagramStep[], needles: readonly ((s: DiagramStep) => boolean)[], names: readonly string[]): string | null {
  let from = 0;
  for (let i = 0; i < needles.length; i++) {
    const at = steps.findIndex((s, index) => index >= from && needles[i]!(s));
    if (at < 0) return `"${names[i]}" not found after step #${from} in:\n  ${steps.map((s) => `${s.who} ${s.title} — ${s.note}`).join('\n  ')}`;
    from = at + 1;
  }
  return null;
}

/** `TLS_AES_256_GCM_SHA384` → `AES-256-GCM`, the way the lock badge names a cipher (case aside). */
function cipherWords(standardName: string): string {
  return standardName.replace(/^TLS_/, '').replace(/_SHA\d+$/, '').replace(/_/g, '-');
}

describe('Alice and Bob, from first run to a delivered reply', () => {
  let alice: Peer;
  let bob: Peer;

  it('walks through the demo story', async () => {
    alice = await peer('Alice');
    bob = await peer('Bob');
    await withEngineStory(() => [alice, bob], () => story());
  }, 300_000);

  async function story(): Promise<void> {

    // 1. Who is who: each picks a display name on the first-run screen.
    await completeFirstRun(alice.page, 'Alice');
    await completeFirstRun(bob.page, 'Bob');
    const aliceId = valueOf(await alice.call('getIdentity', {})) as IdentityView;
    const bobId = valueOf(await bob.call('getIdentity', {})) as IdentityView;
    expect(aliceId.name).toBe('Alice');
    expect(bobId.name).toBe('Bob');
    // The card shows the fingerprint the engine made (grouped for reading aloud).
    expect(ungrouped(await textOf(bob.page.locator('.identity-card .fingerprint')))).toBe(ungrouped(bobId.fingerprint));
    await screenshot(bob.page, '01-identity-bob');
    expectNoBlockingViolations(await checkAccessibility(bob.page, 'identity card (Bob)'));

    // 2. Bob copies his invite from his identity card; it is the text the card shows.
    const bobNetwork = valueOf(await bob.call('getNetwork', {})) as NetworkView;
    expect(bobNetwork.invite).toBeTruthy();
    await bob.page.getByRole('button', { name: 'Copy invite' }).click();
    const invite = await waitUntil(() => bob.copied.at(-1), "Bob's invite in the clipboard");
    expect(invite).toBe(bobNetwork.invite);
    await bob.page.getByText('Invite copied.').waitFor();
    expect(await textOf(bob.page.locator('.invite-text'))).toBe(invite);

    // Alice pastes it in "Add contact".
    await alice.page.getByRole('button', { name: 'Add contact' }).click();
    const addDialog = alice.page.getByRole('dialog', { name: 'Add contact' });
    await addDialog.getByRole('textbox', { name: 'Invite' }).fill(invite);
    // The engine parses the invite first; the dialog shows what it says before saving.
    await addDialog.getByRole('button', { name: 'Check invite' }).click();
    await addDialog.getByRole('region', { name: 'What this invite says' }).waitFor();
    await screenshot(alice.page, '01a-invite-check-alice');
    expectNoBlockingViolations(await checkAccessibility(alice.page, 'invite check (Alice)'));
    await addDialog.getByRole('button', { name: 'Save contact' }).click();
    await addDialog.waitFor({ state: 'detached' });
    await alice.page.getByRole('heading', { name: 'Bob', exact: true }).waitFor();

    // Alice writes first. (Opening the chat already dials Bob; the message waits for his decision.)
    const hello = 'Hi Bob, Alice here. Meet at 6?';
    await alice.page.getByRole('textbox', { name: 'Message' }).fill(hello);
    await alice.page.getByRole('button', { name: 'Send' }).click();
    await alice.page.getByRole('log', { name: 'Messages with Bob' }).getByText(hello, { exact: true }).waitFor();

    // 3. Bob sees the knock with the safety number; it is the number Alice's engine computes
    // from its own key and Bob's pin.
    const requestCard = bob.page.getByRole('region', { name: 'Contact request' });
    await requestCard.waitFor({ timeout: 15_000 });
    const aliceSafetyNumber = valueOf(await alice.call('safetyNumber', { pin: bobId.pin })) as string;
    const shownNumber = await textOf(requestCard.locator('.safety-number'));
    expect(shownNumber).toBe(aliceSafetyNumber);
    expect(ungrouped(await textOf(requestCard.locator('.fingerprint')))).toBe(ungrouped(aliceId.fingerprint));
    await expect(requestCard.getByText('Alice', { exact: true }).count()).resolves.toBeGreaterThan(0);
    await screenshot(bob.page, '02-request-safety-number-bob');
    expectNoBlockingViolations(await checkAccessibility(bob.page, 'contact request (Bob)'));

    await requestCard.getByRole('button', { name: 'Trust' }).click();

    // 4. The message arrives; Bob replies; both see "Delivered".
    const bobLog = bob.page.getByRole('log', { name: 'Messages with Alice' });
    await bobLog.getByText(hello, { exact: true }).waitFor({ timeout: 15_000 });
    const reply = 'Hi Alice! 6 works. See you.';
    await bob.page.getByRole('textbox', { name: 'Message' }).fill(reply);
    await bob.page.getByRole('button', { name: 'Send' }).click();
    const aliceLog = alice.page.getByRole('log', { name: 'Messages with Bob' });
    await aliceLog.getByText(reply, { exact: true }).waitFor({ timeout: 15_000 });
    await waitForText(aliceLog.getByRole('listitem').filter({ hasText: hello }), (t) => t.includes('Delivered'), "Alice's message marked delivered");
    await waitForText(bobLog.getByRole('listitem').filter({ hasText: reply }), (t) => t.includes('Delivered'), "Bob's reply marked delivered");

    // 5. The lock badge and the panel show the real handshake, with the cipher the engine negotiated.
    const aliceContact = (valueOf(await alice.call('listContacts', {})) as ContactView[]).find((c) => c.pin === bobId.pin);
    expect(aliceContact?.state).toBe('ready');
    const conn = aliceContact!.connId!;
    const secure = alice.events.of('tls.secure', (e) => e.conn === conn)[0];
    expect(secure, `no tls.secure event on ${conn}`).toBeDefined();
    const cipher = secure!.detail.cipherStandardName;
    expect(secure!.detail.protocol).toBe('TLSv1.3');

    const badge = alice.page.getByRole('button', { name: /^TLS/ });
    const badgeText = await waitForText(badge, (t) => t.includes('pinned'), 'the lock badge after the pin check');
    expect(badgeText.toLowerCase()).toContain(cipherWords(cipher).toLowerCase());
    expect(badgeText).toContain('TLS 1.3');

    const panel = alice.page.getByRole('region', { name: 'Under the hood' });
    await panel.waitFor();
    const steps = await diagramSteps(alice.page);
    const title = (name: string) => (s: DiagramStep) => s.title === name;
    const from = (who: string, name: string) => (s: DiagramStep) => s.title === name && s.who === who;
    // Bob's side of the handshake as Alice receives it, then her pin check on his key…
    const theirs = ['SYN', 'SYN/ACK', 'ACK', 'ClientHello', 'ServerHello', 'Certificate', 'CertificateVerify', 'Finished', 'Pin check ✓'];
    const theirsMissing = missingInOrder(
      steps,
      theirs.map((name, i) => (i >= 4 && i <= 7 ? from('Bob to Alice:', name) : title(name))),
      theirs,
    );
    expect(theirsMissing, theirsMissing ?? '').toBeNull();
    // …and her own certificate, signature and Finished going the other way.
    const mine = ['ClientHello', 'Certificate', 'CertificateVerify', 'Finished'];
    const mineMissing = missingInOrder(steps, mine.map((name) => from('Alice to Bob:', name)), mine.map((n) => `${n} (Alice to Bob)`));
    expect(mineMissing, mineMissing ?? '').toBeNull();
    // Directions as the dialer sees them: Alice's hello out, Bob's hello and certificate in.
    expect(steps.find(title('ClientHello'))?.who).toBe('Alice to Bob:');
    expect(steps.find(title('ServerHello'))?.who).toBe('Bob to Alice:');
    expect(steps.find(title('SYN'))?.note).toMatch(/took \d/);
    // The cipher: chosen in ServerHello (the suite's standard name), summed up when the handshake completes.
    expect(steps.find(title('ServerHello'))?.note).toContain(cipher);
    const complete = steps.find(title('Handshake complete'));
    expect(complete?.note.toLowerCase()).toContain(cipherWords(cipher).toLowerCase());
    // Messages travel as encrypted records, each opened independently by the panel's decryptor.
    expect(steps.some((s) => s.title === 'Encrypted record' && s.note.includes(hello))).toBe(true);

    await screenshot(alice.page, '03-chat-alice');
    await screenshot(bob.page, '04-chat-bob');
    expectNoBlockingViolations(await checkAccessibility(alice.page, 'chat and panel (Alice)'));
    expectNoBlockingViolations(await checkAccessibility(bob.page, 'chat and panel (Bob)'));

    // The panel from the top (phase 1, the start of phase 2), then with ServerHello opened:
    // what a presenter points at while telling phases 1 and 2.
    // Scrolling back with the wheel stops "Follow new steps", so a keep-alive cannot pull the
    // view away from what the presenter points at.
    const diagram = panel.getByRole('group', { name: 'Sequence diagram' });
    await diagram.hover();
    await alice.page.mouse.wheel(0, -400);
    await expect.poll(() => panel.getByLabel('Follow new steps').isChecked()).toBe(false);
    await diagram.evaluate((element) => {
      (element as unknown as { scrollTop: number }).scrollTop = 0;
    });
    await panel.getByRole('button', { name: /SYN\/ACK/ }).waitFor();
    await screenshot(alice.page, '05-panel-tcp-alice');
    const serverHello = panel.getByRole('button', { name: /ServerHello/ });
    await serverHello.click();
    await panel.getByText('Chosen cipher suite').waitFor();
    expect(await textOf(panel.locator('.step-details'))).toContain(cipher);
    await serverHello.evaluate((element) => (element as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'start' }));
    await screenshot(alice.page, '05-panel-serverhello-alice');
    expectNoBlockingViolations(await checkAccessibility(alice.page, 'panel with an expanded step (Alice)'));
    await serverHello.click();
    await panel.getByLabel('Follow new steps').check();

    // The badge opens the connection details: the same suite, by its standard name.
    await badge.click();
    const details = alice.page.getByRole('dialog', { name: 'Connection details' });
    await details.waitFor();
    expect(await textOf(details)).toContain(cipher);
    await screenshot(alice.page, '06-connection-details-alice');
    expectNoBlockingViolations(await checkAccessibility(alice.page, 'connection details (Alice)'));
    await details.getByRole('button', { name: 'Close' }).click();
    await details.waitFor({ state: 'detached' });

    // Bob's panel tells the listener's side: the knock, his decision, then the data.
    const bobSteps = await diagramSteps(bob.page);
    const bobOrder = ['SYN', 'ClientHello', 'ServerHello', 'Finished', 'Pin check: new key', 'Trusted: key pinned'];
    const bobMissing = missingInOrder(bobSteps, bobOrder.map(title), bobOrder);
    expect(bobMissing, bobMissing ?? '').toBeNull();

    expect([...alice.problems.all, ...bob.problems.all]).toEqual([]);
  }

  it('refuses an impostor at the address Alice was given for Bob, and nothing reaches it', async () => {
    // Bob's key, as Bob would read it out; Mallory listens at another port with her own key.
    // Bob's key, as his app shows it (a stand-in engine when this test runs on its own).
    const bobIdentity = bob ? await bob.identity() : (await stage.lab.withIdentity('Bob')).messenger.identity;
    const bobPin = bobIdentity.pin;
    const bobFingerprint = bobIdentity.fingerprint;
    const mallory = await stage.lab.withIdentity('Mallory');
    const malloryPin = mallory.messenger.identity.pin;
    const malloryAddress = addressOf(mallory);
    expect(malloryPin).not.toBe(bobPin);

    // A fresh Alice (her first profile already holds the real Bob under this pin).
    const alice2 = await peer('Alice (impostor drill)');
    await completeFirstRun(alice2.page, 'Alice');

    await alice2.page.getByRole('button', { name: 'Add contact' }).click();
    const addDialog = alice2.page.getByRole('dialog', { name: 'Add contact' });
    await addDialog.getByRole('radio', { name: 'An address and a pin' }).check();
    await addDialog.getByRole('textbox', { name: 'Address (host:port)' }).fill(malloryAddress);
    await addDialog.getByRole('textbox', { name: 'Pin', exact: true }).fill(bobPin);
    await addDialog.getByRole('textbox', { name: 'Name (optional)' }).fill('Bob');
    await addDialog.getByRole('button', { name: 'Save contact' }).click();
    await addDialog.waitFor({ state: 'detached' });

    // Saving opens the chat, and opening a chat dials: the pin check stops the connection before
    // Alice can even send (the warning is modal; the composer then gives way to a refusal note).
    const composer = alice2.page.getByRole('textbox', { name: 'Message' });
    const warning = alice2.page.getByRole('alertdialog', { name: 'This is not Bob' });
    await warning.waitFor({ timeout: 15_000 });

    const mismatch = await alice2.events.waitFor('trust.check', (e) => e.detail.verdict === 'mismatch', 'the pin mismatch on Alice’s side');
    expect(mismatch.detail.expected).toBe(bobPin);
    expect(mismatch.detail.presented).toBe(malloryPin);

    // The card names both keys: each as the fingerprint read aloud and as the wire pin.
    const expectedBlock = warning.locator('.key-line', { has: alice2.page.getByRole('heading', { name: 'Expected key' }) });
    const presentedBlock = warning.locator('.key-line', { has: alice2.page.getByRole('heading', { name: 'Presented key' }) });
    const expectedText = ungrouped(await textOf(expectedBlock));
    const presentedText = ungrouped(await textOf(presentedBlock));
    expect(expectedText).toContain(ungrouped(bobFingerprint));
    expect(expectedText).toContain(bobPin.slice('sha256/'.length));
    expect(presentedText).toContain(ungrouped(mallory.messenger.identity.fingerprint));
    expect(presentedText).toContain(malloryPin.slice('sha256/'.length));
    expect(expectedText).not.toContain(malloryPin.slice('sha256/'.length));
    expect(await textOf(warning)).toContain('Nothing was sent');
    await screenshot(alice2.page, '07-impostor-warning-alice');
    expectNoBlockingViolations(await checkAccessibility(alice2.page, 'impostor warning (Alice)'));

    // Dismissing the card leaves the chat closed to sending.
    await warning.getByRole('button', { name: 'I understand, close this warning' }).click();
    await warning.waitFor({ state: 'detached' });
    await alice2.page.getByText('This connection was refused').waitFor();
    expect(await composer.count()).toBe(0);
    await screenshot(alice2.page, '07-impostor-after-warning-alice');

    // Had she sent anyway (the call the Send button makes), the engine dials again, the pin
    // check refuses again, and the card comes back.
    const fakeBob = (valueOf(await alice2.call('listContacts', {})) as ContactView[]).find((c) => c.pin === bobPin);
    expect(fakeBob?.address).toBe(malloryAddress);
    const secret = 'Bob, the door code is 4711';
    const sent = await alice2.call('sendMessage', { contactId: fakeBob!.id, text: secret });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    await waitUntil(() => alice2.events.of('trust.check', (e) => e.detail.verdict === 'mismatch').length >= 2, 'the second pin mismatch');
    await warning.waitFor({ timeout: 15_000 });
    expect(alice2.events.of('message.sent')).toEqual([]);

    // Mallory got TLS handshakes and nothing else: no contact, no message, no frame, no data.
    await waitUntil(() => mallory.events.of('tcp.accept').length >= 2, 'Mallory’s side of both connections');
    const call = (name: 'listContacts' | 'listRequests') => callEngine(mallory.messenger, name, {});
    // Alice hung up right after each pin check: the knocks Mallory's engine held are gone with them.
    await waitUntil(async () => (valueOf(await call('listRequests')) as unknown[]).length === 0, "Mallory's held knocks to go away");
    expect(valueOf(await call('listContacts'))).toEqual([]);
    expect(mallory.events.of('message.received')).toEqual([]);
    expect(mallory.events.of('frame.in')).toEqual([]);
    const appRecords = mallory.events.of('tls.record', (e) => e.dir === 'in' && e.detail.decrypted?.innerContentType === 'application_data');
    expect(appRecords).toEqual([]);
    expect(JSON.stringify(mallory.events.all)).not.toContain(secret);
    expect(alice2.problems.all).toEqual([]);
  });
});

describe('a connection once open', () => {
  it("stays open past the dialer's handshake deadline (the lock does not drop by itself)", async () => {
    // Alice's deadline is the app's own (the engine's default); Bob, an engine here, has a short one too.
    const { handshakeMs } = withDefaults();
    const bobEngine = await stage.lab.withIdentity('Bob', { timeouts: { handshakeMs: 2_000 }, unknownPeers: 'accept' });
    const alice = await peer('Alice (deadline)', { identity: 'Alice' });
    const invite = valueOf(await callEngine(bobEngine.messenger, 'getNetwork', {})).invite!;
    const bobContact = valueOf(await alice.call('addContactFromInvite', { invite })) as ContactView;

    // Alice opens Bob's chat (which dials him) and sees the lock close.
    await openChat(alice, 'Bob');
    const badge = alice.page.getByRole('button', { name: /^TLS/ });
    const ready = await alice.events.waitFor('conn.ready', (e) => e.detail.contactId === bobContact.id, 'the connection to Bob');

    // Past both deadlines, nothing has happened to it: same connection, no TLS error, still secure.
    await new Promise((resolve) => setTimeout(resolve, handshakeMs + 2_000));
    const errors = alice.events.of('tls.error').map((e) => `${e.conn}: ${e.summary}`);
    const closes = alice.events.of('conn.closed').map((e) => `${e.conn}: ${e.detail.reason} (${e.detail.by})`);
    expect(errors, 'TLS errors on an established connection').toEqual([]);
    expect(closes, 'connections closed without anyone closing them').toEqual([]);
    const now = (valueOf(await alice.call('listContacts', {})) as ContactView[]).find((c) => c.id === bobContact.id);
    expect(now?.state).toBe('ready');
    expect(now?.connId).toBe(ready.conn);
    expect(await badge.isVisible()).toBe(true);
  }, 60_000);
});
