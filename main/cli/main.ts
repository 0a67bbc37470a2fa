#!/usr/bin/env node
/**
 * The headless peer: the same engine as the desktop app with a terminal front end, for second
 * machines without a desktop, for scripting and for tests. Its command line and its --json
 * records are a contract other programs rely on (README, "Headless peer").
 */
import { errorCode, LockstepError } from '../core/errors';
import { type Messenger, openMessenger } from '../core/messenger/messenger';
import { DEFAULT_PORT } from '../core/net/address';
import { STOP_CODES } from '../core/policy';
import { type CliArgs, parseCliArgs, USAGE } from './args';
import { setupCapture } from './capture';
import { chatFromStdin, reportEvents } from './chat';
import { runDrill } from './drill';
import { runEve } from './eve';
import { runHistory } from './history';
import { Output } from './output';
import { defaultProfileDir, ensureIdentity } from './profile';
import { StdinTarget } from './stdin-target';

/**
 * Pairing by code: a `paired` record on success and, where asked, a PAIRING_FAILED error on
 * failure. The dialer does not ask: its failed `pairWith` throws, and `main` reports that error,
 * so one failure is one record.
 */
function reportPairing(m: Messenger, out: Output, { failures }: { failures: boolean }): void {
  m.events.subscribe((e) => {
    if (e.kind !== 'trust.pairing' || e.detail.phase === 'started') return;
    if (e.detail.phase === 'succeeded') out.record({ type: 'paired', pin: e.detail.peerPin }, `paired: ${e.detail.peerPin} is pinned`);
    else if (failures) out.error('PAIRING_FAILED', e.summary);
  });
}

async function runId(args: CliArgs, out: Output): Promise<number> {
  const profileDir = args.profileDir ?? defaultProfileDir();
  const m = await openMessenger({ profileDir, listen: false });
  await ensureIdentity(m, args.name);
  const { name, pin, fingerprint } = m.identity;
  out.record({ type: 'identity', name, pin, fingerprint, profileDir }, `name:        ${name}\npin:         ${pin}\nfingerprint: ${fingerprint}\nprofile:     ${profileDir}`);
  await m.close();
  return 0;
}

/** What `listen` does with a new key: exactly what its flags say (README, "The headless peer"). */
function listenPolicy(args: CliArgs): 'accept' | 'accept-first' | 'refuse' {
  return args.acceptNew ? 'accept' : args.acceptFirst ? 'accept-first' : 'refuse';
}

const POLICY_WORDS = {
  accept: 'every new key is trusted on first use (--accept-new)',
  'accept-first': 'the first new key is trusted on first use, every other unknown one is refused (--accept-first)',
  refuse: 'only pinned contacts may connect',
};

async function runListen(args: CliArgs, out: Output): Promise<number> {
  const capture = setupCapture(args, out);
  const m = await openMessenger({
    profileDir: args.profileDir ?? defaultProfileDir(),
    listen: false,
    unknownPeers: listenPolicy(args),
    revealSecrets: args.revealSecrets,
    ...(capture ? { hooks: capture.recorder.hooks } : {}),
    ...(args.groups ? { tuning: { groups: args.groups } } : {}),
  });
  await ensureIdentity(m, args.name);
  // Listening to the events first, so the contacts --trust adds are in the record stream too.
  reportPairing(m, out, { failures: true });
  const target = new StdinTarget(m, out, args.to);
  reportEvents(m, out, () => undefined, new Set(), (contactId) => target.is(contactId));
  for (const pin of args.trust) m.trustKey({ pin });
  if (args.pairCode) m.startPairing(args.pairCode);
  const bound = await m.startListening({ host: args.host, port: args.port ?? DEFAULT_PORT });
  const { name, pin, fingerprint } = m.identity;
  out.record(
    { type: 'ready', name, pin, fingerprint, host: bound.host, port: bound.port },
    `listening on ${bound.host}:${bound.port} as ${name}\npin:         ${pin}\nfingerprint: ${fingerprint}\n(${POLICY_WORDS[listenPolicy(args)]}; typed lines go to ${args.to ?? 'the first peer to connect'})`,
  );
  const delivered = await chatFromStdin(m, out, { target: () => target.get() });
  await m.close();
  await capture?.finish();
  return delivered ? 0 : 1;
}

async function runConnect(args: CliArgs, out: Output): Promise<number> {
  const capture = setupCapture(args, out);
  const m = await openMessenger({
    profileDir: args.profileDir ?? defaultProfileDir(),
    listen: false,
    unknownPeers: 'refuse',
    revealSecrets: args.revealSecrets,
    ...(capture ? { hooks: capture.recorder.hooks } : {}),
    ...(args.groups ? { tuning: { groups: args.groups } } : {}),
  });
  await ensureIdentity(m, args.name);
  reportPairing(m, out, { failures: false });
  let contact;
  try {
    contact = args.pairCode ? await m.pairWith(args.target!, args.pairCode) : m.addContact({ address: args.target!, pin: args.pin! });
  } catch (err) {
    await m.close();
    throw err;
  }
  let failure: string | null = null;
  const finished = new Promise<void>((resolve) => {
    reportEvents(m, out, (code) => {
      failure = code;
      resolve();
    }, STOP_CODES, (contactId) => contactId === contact.id); // the codes the reconnector stops on: nothing more will happen
  });
  // Dial now and keep redialling with backoff until end of stdin; only a security stop ends it early.
  m.want(contact.id);
  const delivered = await Promise.race([chatFromStdin(m, out, { target: () => contact.id }), finished.then(() => false)]);
  await m.close();
  await capture?.finish();
  return failure || !delivered ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const out = new Output(args.json);
  if (args.command === 'help') {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (args.command === 'id') return await runId(args, out);
    if (args.command === 'listen') return await runListen(args, out);
    if (args.command === 'eve') return await runEve(args, out);
    if (args.command === 'drill') return await runDrill(args, out);
    if (args.command === 'history') return runHistory(args, out);
    return await runConnect(args, out);
  } catch (err) {
    const code = errorCode(err);
    out.error(code, err instanceof LockstepError ? err.message : `Unexpected failure: ${(err as Error).message}`);
    return 1;
  }
}

/**
 * Exit once stdout and stderr have taken everything written: into a pipe, writes are
 * asynchronous, and a plain process.exit() would cut off the end of a long `history --json`.
 */
function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
