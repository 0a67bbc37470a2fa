/**
 * The wire panel and the break-it drills in real Chromium with two real engines: a message
 * beside the TLS record that carried it (plaintext, header, ciphertext, tag, sequence number and
 * nonce, the independent decryption), Eve listening (hex only, never the text), a flipped bit
 * (Bob refuses the record; the message still arrives exactly once after the reconnect), Eve
 * answering with her own key (Alice's blocking warning), a TLS 1.2 downgrade (defeated) and the
 * .pcap export. Every expected value comes from what was typed or from an engine's own events.
 */
import { useStage, valueOf } from './harness/stage';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { ContactView } from '../../shared/views';
import { waitUntil, withEngineStory } from './harness/engines';
import { openChat, type Peer } from './harness/peer';
import { ARTIFACTS, checkAccessibility, screenshot, textOf, waitForText } from './harness/ui';

const stage = useStage();
const peer = stage.peer;

/** "17 03 03 00 2a" → "170303002a". */
function hexOnly(text: string): string {
  return text.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/** The TLS application data tshark could decrypt in a capture (with a keys file, or none), as text. */
function decryptedAppData(pcap: string, keys: string | null): string {
  const options = keys ? ['-o', `tls.keylog_file:${keys}`] : [];
  const out = execFileSync('tshark', ['-n', '-r', pcap, ...options, '-o', 'data.show_as_text:TRUE', '-Y', 'tls.app_data', '-T', 'fields', '-e', 'data.text'], { encoding: 'utf8' });
  return out;
}

async function send(p: Peer, text: string): Promise<void> {
  await p.page.getByRole('textbox', { name: 'Message' }).fill(text);
  await p.page.getByRole('button', { name: 'Send' }).click();
}

describe('the wire panel and the drills', () => {
  it('shows a message on the wire, Eve’s view, and each drill’s verdict; exports a pcap', async () => {
    const bob = await peer('Bob', { identity: 'Bob' });
    const alice = await peer('Alice', { identity: 'Alice' });
    await withEngineStory(
      () => [alice, bob],
      async () => {
        // Each pastes the other's invite (as two people who met do): both keys pinned, no request card.
        const invite = valueOf(await bob.call('getNetwork', {})).invite!;
        valueOf(await bob.call('addContactFromInvite', { invite: valueOf(await alice.call('getNetwork', {})).invite! }));
        const bobContact = valueOf(await alice.call('addContactFromInvite', { invite })) as ContactView;
        await alice.reload();
        await openChat(alice, 'Bob');

        // 1. A message and the record that carried it.
        const hello = 'Hello Bob, this is the record view.';
        await send(alice, hello);
        const aliceLog = alice.page.getByRole('log', { name: 'Messages with Bob' });
        const bobLog = bob.page.getByRole('log', { name: 'Messages with Alice' });
        await bob.page.getByRole('navigation', { name: 'Contacts' }).getByRole('button', { name: /^Alice\b/ }).waitFor({ timeout: 20_000 });
        await openChat(bob, 'Alice');
        await bobLog.getByText(hello, { exact: true }).waitFor({ timeout: 20_000 });
        const sent = await alice.events.waitFor('message.sent', (e) => e.detail.contactId === bobContact.id, 'Alice’s message.sent');
        const record = await alice.events.waitFor(
          'tls.record',
          (e) => e.dir === 'out' && (e.detail.decrypted?.plaintext ?? '').includes(sent.detail.messageId),
          'the outgoing record that carried the message',
        );
        const dec = record.detail.decrypted!;

        const bubble = aliceLog.getByRole('listitem').filter({ hasText: hello });
        await bubble.getByRole('button', { name: /^On the wire/ }).click();
        const recordView = alice.page.getByRole('region', { name: 'Record view' });
        await recordView.waitFor();
        await waitForText(recordView, (t) => t.includes('Decrypted independently'), 'the record view’s independent decryption');
        expect(await textOf(recordView.getByTestId('wire-plaintext'))).toBe(hello);
        expect(hexOnly(await textOf(recordView.getByTestId('wire-header')))).toBe(record.detail.headerHex.toLowerCase());
        expect(hexOnly(await textOf(recordView.getByTestId('wire-ciphertext')))).toBe(record.detail.bodyPreview.toLowerCase());
        expect(hexOnly(await textOf(recordView.getByTestId('wire-tag')))).toBe(dec.tagHex.toLowerCase());
        const viewText = await textOf(recordView);
        expect(viewText).toContain(`record #${record.detail.index}`);
        const nonceList = recordView.locator('dl.wire-nonce');
        expect(await textOf(nonceList.locator('dt').nth(0))).toBe('Sequence number');
        expect(await textOf(nonceList.locator('dd').nth(0))).toBe(String(dec.sequence));
        expect(await textOf(nonceList.locator('dt').nth(1))).toMatch(/^Nonce/);
        expect(hexOnly(await textOf(nonceList.locator('dd').nth(1)))).toBe(dec.nonceHex.toLowerCase());
        expect(await textOf(recordView.locator('.wire-witness-ok'))).toContain(hello);
        await recordView.scrollIntoViewIfNeeded();
        await screenshot(alice.page, 'wire-01-record-view-alice');
        const axe = await checkAccessibility(alice.page, 'record view and drills (Alice)');
        expect(axe.blocking, `serious/critical axe violations:\n${axe.blocking.join('\n')}`).toEqual([]);

        // 2. Eve listens: Alice's next message passes through her; she sees hex, never the text.
        const drills = alice.page.getByRole('region', { name: 'Drills' });
        const eveRegion = alice.page.getByRole('region', { name: 'What Eve sees' });
        await drills.getByRole('button', { name: 'Eavesdropper (Eve listens)' }).click();
        await waitForText(drills.getByRole('status'), (t) => t.includes('started'), 'the eavesdropper drill to start');
        const overheard = 'Eve must not read this: the key is under the mat.';
        await send(alice, overheard);
        await bobLog.getByText(overheard, { exact: true }).waitFor({ timeout: 20_000 });
        await alice.events.waitFor('drill.eve', (e) => e.detail.from === 'dialer' && e.detail.mode === 'passive', 'Eve relaying Alice’s bytes');
        await eveRegion.locator('pre.hexdump').first().waitFor();
        // Eve's dump has application-data records from Alice (17 03 03 …) and shows none of the text.
        await waitUntil(async () => hexOnly(await textOf(eveRegion)).includes('170303'), 'an application-data record header in Eve’s hex dump');
        const eveText = await textOf(eveRegion);
        expect(eveText).not.toContain(overheard);
        expect(eveText).not.toContain('under the mat');
        await eveRegion.scrollIntoViewIfNeeded();
        await screenshot(alice.page, 'wire-02-eavesdropper-alice');
        await drills.getByRole('button', { name: 'Stop Eve' }).click();
        await waitForText(drills.getByRole('status'), (t) => t.includes('Eve stopped'), 'Eve to stop');

        // 3. A flipped bit: Bob's TLS refuses the record; after the reconnect the message arrives once.
        await waitUntil(
          async () => (valueOf(await alice.call('listContacts', {})) as ContactView[]).find((c) => c.id === bobContact.id)?.state === 'ready',
          'Alice to be connected to Bob directly again after Eve stopped',
          30_000,
        );
        await drills.getByRole('button', { name: 'Flip a bit in my next message' }).click();
        await waitForText(drills.getByRole('status'), (t) => t.startsWith('Armed'), 'the tamper drill to be armed');
        const tampered = 'This one gets a flipped bit on the way.';
        await send(alice, tampered);
        await alice.events.waitFor('drill.tamper', (e) => e.detail.phase === 'flipped', 'the bit to be flipped');
        await bob.events.waitFor('tls.error', (e) => /bad.record.mac/i.test(e.detail.message), 'Bob’s TLS to refuse the tampered record', 20_000);
        const bobDrills = bob.page.getByRole('region', { name: 'Drills' });
        // Bob's side knows nothing of the drill: its card is the refused connection, naming the bad MAC.
        const bobCard = bobDrills.locator('article.verdict-card', { hasText: /bad.record.mac/i }).first();
        await bobCard.waitFor({ timeout: 20_000 });
        expect(await bobCard.getAttribute('aria-label')).toMatch(/^(Connection refused|Tamper): (Refused|Attack defeated)$/);
        await bobLog.getByText(tampered, { exact: true }).waitFor({ timeout: 30_000 });
        await waitForText(aliceLog.getByRole('listitem').filter({ hasText: tampered }), (t) => t.includes('Delivered'), 'the tampered message delivered after the reconnect', 30_000);
        expect(await bobLog.getByText(tampered, { exact: true }).count(), 'the tampered message shown at Bob').toBe(1);
        await bobCard.scrollIntoViewIfNeeded();
        await screenshot(bob.page, 'wire-03-tamper-verdict-bob');

        // 4. Eve answers with her own key: the pin check stops Alice before anything is sent.
        await drills.getByRole('button', { name: 'Impostor (Eve answers with her own key)' }).click();
        await waitForText(drills.getByRole('status'), (t) => t.includes('started'), 'the impostor drill to start');
        const secret = 'For Bob only: meet at the north gate.';
        await send(alice, secret).catch(() => undefined); // the warning may already cover the composer
        const warning = alice.page.getByRole('alertdialog', { name: 'This is not Bob' });
        await warning.waitFor({ timeout: 20_000 });
        await alice.events.waitFor('trust.check', (e) => e.detail.verdict === 'mismatch', 'the pin mismatch against Eve');
        // The warning comes first; the key-change card (the ways forward) follows once it is closed.
        await screenshot(alice.page, 'wire-04-impostor-warning-alice');
        await warning.getByRole('button', { name: 'I understand, close this warning' }).click();
        await warning.waitFor({ state: 'detached' });
        const keyChange = alice.page.getByRole('alertdialog', { name: 'Bob’s key changed' });
        await keyChange.waitFor({ timeout: 20_000 });
        await screenshot(alice.page, 'wire-04-impostor-key-change-alice');
        await keyChange.getByRole('button', { name: 'Decide later' }).click();
        await keyChange.waitFor({ state: 'detached' });
        await drills.getByRole('button', { name: 'Stop Eve' }).click();
        await waitForText(drills.getByRole('status'), (t) => t.includes('Eve stopped'), 'Eve to stop after the impostor drill');

        // 5. A TLS 1.2 downgrade: defeated.
        await drills.getByRole('button', { name: 'Try a TLS 1.2 downgrade' }).click();
        const downgrade = drills.getByRole('article', { name: /^TLS 1\.2 downgrade/ });
        await downgrade.waitFor({ timeout: 20_000 });
        expect(await downgrade.getAttribute('aria-label')).toBe('TLS 1.2 downgrade: Attack defeated');
        expect(await downgrade.getAttribute('class')).toContain('verdict-defeated');
        await downgrade.scrollIntoViewIfNeeded();
        await screenshot(alice.page, 'wire-05-downgrade-verdict-alice');

        // 6. The connection as a .pcap, and with its keys: tshark decrypts what was said on it.
        await waitUntil(
          async () => (valueOf(await alice.call('listContacts', {})) as ContactView[]).find((c) => c.id === bobContact.id)?.state === 'ready',
          'Alice to be connected to Bob again after the drills',
          30_000,
        );
        const forTheCapture = 'Wireshark, read this: the capture decrypts.';
        await send(alice, forTheCapture);
        await waitForText(aliceLog.getByRole('listitem').filter({ hasText: forTheCapture }), (t) => t.includes('Delivered'), 'the message for the capture delivered', 30_000);
        const exportRegion = alice.page.getByRole('region', { name: 'Export for Wireshark' });
        await exportRegion.getByRole('button', { name: 'Export capture (.pcap)' }).click();
        const pcap = await alice.app.until('the .pcap download', () => alice.app.downloads.find((d) => d.suggestedName.endsWith('.pcap')), 20_000);
        await waitForText(exportRegion.getByRole('status'), (t) => t.startsWith('Saved'), 'the export’s status line');
        const bytes = readFileSync(pcap.path);
        expect(bytes.length).toBeGreaterThan(24);
        expect(bytes.subarray(0, 4).toString('hex'), 'pcap magic (little-endian)').toBe('d4c3b2a1');
        copyFileSync(pcap.path, join(ARTIFACTS, 'wire-export.pcap'));

        await exportRegion.getByRole('button', { name: 'Export with keys…' }).click();
        await alice.page.getByRole('alertdialog', { name: 'Export with keys' }).getByRole('button', { name: 'Export capture and keys' }).click();
        const keys = await alice.app.until('the .keys download', () => alice.app.downloads.find((d) => d.suggestedName.endsWith('.keys')), 20_000);
        await waitForText(exportRegion.getByRole('status'), (t) => t.includes('.keys'), 'the export with keys’ status line');
        const withKeys = alice.app.downloads.filter((d) => d.suggestedName.endsWith('.pcap')).at(-1)!;
        expect(withKeys.suggestedName).toBe(keys.suggestedName.replace(/\.keys$/, '.pcap'));
        expect(readFileSync(keys.path, 'utf8')).toMatch(/^CLIENT_TRAFFIC_SECRET_0 [0-9a-f]{64} [0-9a-f]+$/m);
        const plain = decryptedAppData(withKeys.path, keys.path);
        expect(plain, 'tshark’s decryption of the exported capture').toContain(forTheCapture);
        // Without the keys, tshark sees ciphertext only.
        expect(decryptedAppData(withKeys.path, null)).not.toContain(forTheCapture);

        expect([...alice.problems.all, ...bob.problems.all]).toEqual([]);
      },
    );
  });
});
