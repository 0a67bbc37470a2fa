/**
 * `--capture DIR` on listen/connect: every connection is written as DIR/<conn>.pcap when it
 * closes (and DIR/<conn>.keys, the SSLKEYLOGFILE, with --capture-keys). Keys files are created
 * 0600, and a warning says why once, on stderr: whoever has that file can read the conversation.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { type CaptureRecorder, createCaptureRecorder } from '../core/capture/recorder';
import type { CliArgs } from './args';
import { printRecord } from './eve';
import type { Output } from './output';

export const KEYS_WARNING =
  'WARNING: --capture-keys writes the TLS traffic secrets of every connection next to its capture. ' +
  'Anyone who has a .keys file can decrypt and read that whole conversation (that is the point of the ' +
  'Wireshark demo). Delete the files after the demo; never share them.';

/** How long an exiting peer waits for its connections' close (so the pcap ends with the FINs). */
const CLOSE_WAIT_MS = 1_000;

export interface CliCapture {
  recorder: CaptureRecorder;
  /** The process is about to exit: give open connections a moment to close, then write them all. */
  finish(): Promise<void>;
}

export function setupCapture(args: CliArgs, out: Output): CliCapture | null {
  if (!args.capture) return null;
  const dir = args.capture;
  mkdirSync(dir, { recursive: true });
  if (args.captureKeys) out.say(KEYS_WARNING);
  const written = new Set<string>();
  const write = (conn: string) => {
    if (written.has(conn)) return;
    written.add(conn);
    const { pcap, keys, keysWithheld } = recorder.exportCapture(conn);
    const pcapPath = join(dir, `${conn}.pcap`);
    writeFileSync(pcapPath, pcap);
    let keysPath: string | null = null;
    if (keys !== null) {
      keysPath = join(dir, `${conn}.keys`);
      writeFileSync(keysPath, keys, { mode: 0o600 });
      chmodSync(keysPath, 0o600);
    }
    const truncated = recorder.get(conn)?.truncated ?? false;
    printRecord(
      out,
      args.json,
      { type: 'capture', conn, pcap: pcapPath, keys: keysPath, truncated, ...(keysWithheld ? { keysWithheld } : {}) },
      `capture of ${conn}: ${pcapPath}${keysPath ? ` + ${keysPath} (secret!)` : ''}${keysWithheld ? ' (no keys: this peer was never trusted)' : ''}${truncated ? ' (truncated)' : ''}`,
    );
  };
  const recorder = createCaptureRecorder({ keepKeys: args.captureKeys, onClosed: write });
  return {
    recorder,
    finish: async () => {
      const deadline = Date.now() + CLOSE_WAIT_MS;
      const open = () => recorder.connections().some((conn) => recorder.get(conn)?.closedAt === null);
      while (open() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const conn of recorder.connections()) write(conn);
    },
  };
}
