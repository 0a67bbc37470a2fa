/**
 * Demo step 10 with real tools: two headless peers chat with `--capture`; Wireshark's tshark,
 * given the listener's keys file, decrypts the capture and shows the chat text — and without the
 * keys it shows nothing of it. tshark also checks the synthetic TCP/IP framing (checksums,
 * sequence analysis). Skipped, with the reason printed, where tshark is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { type CliRecord, is, startListener, usePeers } from '../helpers/cli-peer';

const TSHARK = (() => {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : null;
})();
if (!TSHARK) console.warn('test/capture/tshark.test.ts skipped: tshark is not installed (Debian: apt-get install tshark; CI installs it)');

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
}

/** The decrypted application data as text (the chat's JSON lines), with the port decoded as TLS. */
function decryptedText(pcap: string, port: number, keys: string | null): string {
  return tshark([
    '-r', pcap,
    '-d', `tcp.port==${port},tls`,
    ...(keys ? ['-o', `tls.keylog_file:${keys}`] : []),
    '-o', 'data.show_as_text:TRUE',
    '-T', 'fields', '-e', 'data.text',
  ]);
}

describe.skipIf(!TSHARK)(`Wireshark decrypts an exported capture (${TSHARK ?? 'tshark missing'})`, () => {
  const peers = usePeers();

  it('with the keys file the chat text is there; without it, it is not', async () => {
    const aliceCaptures = join(peers.profile('alice-captures'), 'pcaps');
    const bobCaptures = join(peers.profile('bob-captures'), 'pcaps');
    const alice = await startListener(peers, peers.profile('alice'), 'Alice', ['--accept-new', '--capture', aliceCaptures, '--capture-keys']);
    expect(alice.peer.stderr).toMatch(/WARNING: --capture-keys .*Anyone who has a \.keys file can decrypt and read/);
    const bob = peers.spawn(['connect', alice.address, '--pin', alice.pin, '--json', '--profile-dir', peers.profile('bob'), '--name', 'Bob', '--capture', bobCaptures], { label: 'Bob' });
    const fromBob = `meet at 6 by the old mill ${Math.random().toString(36).slice(2, 8)}`;
    const fromAlice = `see you there ${Math.random().toString(36).slice(2, 8)}`;
    bob.write(fromBob);
    await alice.peer.next(is.message(fromBob), "Bob's message at Alice");
    alice.peer.write(fromAlice);
    await bob.next(is.message(fromAlice), "Alice's message at Bob");
    bob.end();
    await bob.waitExit();
    const bobFiles = await bob.next(is.type('capture'), "Bob's capture record");
    const aliceFiles: CliRecord = await alice.peer.next(is.type('capture'), "Alice's capture record");
    alice.peer.end();
    await alice.peer.waitExit();

    // The listener kept the keys (0600); the dialer, without --capture-keys, wrote a pcap only.
    const keys = String(aliceFiles.keys);
    expect(statSync(keys).mode & 0o777).toBe(0o600);
    expect(bobFiles.keys).toBeNull();
    expect(readdirSync(bobCaptures).filter((f) => f.endsWith('.keys'))).toEqual([]);
    const port = Number(alice.address.split(':')[1]);
    for (const pcap of [String(aliceFiles.pcap), String(bobFiles.pcap)]) {
      expect(existsSync(pcap)).toBe(true);
      const raw = readFileSync(pcap);
      for (const text of [fromBob, fromAlice]) expect(raw.includes(Buffer.from(text)), `${pcap} holds the text in the clear`).toBe(false);

      // Given the keys (the same connection, seen from either end), tshark reads the conversation.
      const decrypted = decryptedText(pcap, port, keys);
      expect(decrypted).toContain(fromBob);
      expect(decrypted).toContain(fromAlice);
      expect(decrypted).toContain('"type":"hello"');
      // Without them, nothing of it.
      const opaque = decryptedText(pcap, port, null);
      expect(opaque).not.toContain(fromBob);
      expect(opaque).not.toContain(fromAlice);
      expect(opaque).not.toContain('"type"');
      // The handshake was the hybrid post-quantum one: tshark reads group 0x11ec (4588,
      // X25519MLKEM768) in the ServerHello's key share, and a 1,120-byte share (1,088 + 32).
      const serverShare = tshark(['-r', pcap, '-d', `tcp.port==${port},tls`, '-Y', 'tls.handshake.type == 2', '-T', 'fields', '-e', 'tls.handshake.extensions_key_share_group', '-e', 'tls.handshake.extensions_key_share_key_exchange_length']);
      expect(serverShare.trim()).toBe(`${0x11ec}\t${1088 + 32}`);
      const fullDump = tshark(['-r', pcap, '-d', `tcp.port==${port},tls`, '-V', '-x']);
      expect(fullDump).toContain('Transport Layer Security');
      expect(fullDump).not.toContain(fromBob.slice(0, 12));

      // Framing Wireshark accepts as is: valid IP and TCP checksums, no sequence-analysis warnings.
      const statuses = tshark(['-r', pcap, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status']);
      const lines = statuses.trim().split('\n');
      expect(lines.length).toBeGreaterThan(8);
      expect(lines.filter((l) => l !== '1\t1'), 'packets whose checksums tshark did not find good').toEqual([]);
      expect(tshark(['-r', pcap, '-Y', 'tcp.analysis.flags']).trim(), 'tcp.analysis warnings').toBe('');
    }
  }, 180_000);
});
