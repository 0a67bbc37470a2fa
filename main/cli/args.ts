/** The headless peer's command line, parsed and checked up front (usage errors exit 2). */
import { parseArgs } from 'node:util';

import { LockstepError } from '../core/errors';
import { type GroupName, parseGroups } from '../core/net/key-exchange-groups';

export const USAGE = `Usage: lockstep <command> [options]

Commands:
  id                                    create or load this profile's identity; print name, pin, fingerprint
  listen [--host H] [--port P] [--accept-new | --accept-first] [--trust PIN]... [--pair-code CODE] [--to NAME|PIN]
                                        wait for contacts to connect (--port 0 picks a free port)
                                        --accept-new: pin every new key on first use (demos, tests)
                                        --accept-first: pin the first new key, refuse all others
                                        --to: typed lines go to this peer (default: the first to connect)
  connect HOST:PORT --pin PIN           connect to a listener whose pin you hold
  connect HOST:PORT --pair-code CODE    pair with a listener showing that code (listen --pair-code), then chat
  eve --listen PORT --forward HOST:PORT --mode passive|tamper|impostor|replay
                                        Eve, the drills' adversary: point a dialer at her port and she
                                        relays to the listener, eavesdropping, flipping a bit, replaying
                                        a record, or answering with her own certificate (--profile-dir
                                        holds her identity; a throwaway one without it)
  drill downgrade HOST:PORT             try a TLS 1.2-only handshake against a listener and report why
                                        it was refused
  history [--contact NAME|PIN] [--limit N]
                                        print the stored conversations (each message's id, direction,
                                        state and times); --limit: the newest N of each conversation

Options:
  --profile-dir DIR   where the identity and database live (default: $LOCKSTEP_PROFILE_DIR or ~/.config/lockstep/cli)
  --name NAME         display name, used when the profile has no identity yet
  --json              one JSON object per line on stdout (human text goes to stderr)
  --reveal-secrets    demo mode: include TLS secret values in keylog events (never in normal use)
  --capture DIR       listen/connect: write each connection as DIR/<conn>.pcap (for Wireshark)
  --capture-keys      with --capture: also write DIR/<conn>.keys (SSLKEYLOGFILE); anyone holding
                      that file can read the whole conversation
  --groups LIST       listen/connect: the key-exchange groups to offer and accept, in order, e.g.
                      X25519 for a classical-only handshake (default: X25519MLKEM768,X25519,P-256,
                      those this runtime has)
  -h, --help          this text

Each line on stdin is sent as a message to the connected peer; end of stdin says goodbye and exits.`;

export type EveModeArg = 'passive' | 'tamper' | 'impostor' | 'replay';

export interface CliArgs {
  command: 'id' | 'listen' | 'connect' | 'eve' | 'drill' | 'history' | 'help';
  target: string | null;
  profileDir: string | null;
  name: string | null;
  json: boolean;
  revealSecrets: boolean;
  host: string;
  port: number | null;
  acceptNew: boolean;
  /** listen: trust the first new key of this run on first use, refuse every other unknown one. */
  acceptFirst: boolean;
  /** listen: who stdin lines go to (a pin or a contact name); null: the first peer to connect. */
  to: string | null;
  trust: string[];
  pin: string | null;
  /** Three words both sides type: pins both keys without reading a fingerprint (one attempt). */
  pairCode: string | null;
  /** listen/connect: where to write each connection's pcap (and keys, with captureKeys). */
  capture: string | null;
  captureKeys: boolean;
  /** listen/connect: the key-exchange offer (`--groups`); null: everything the runtime has. */
  groups: GroupName[] | null;
  /** eve: the port she listens on, where she forwards to, and what she does. */
  listenPort: number | null;
  forward: string | null;
  mode: EveModeArg | null;
  /** drill: which one (only `downgrade` runs from here; the others need Eve). */
  drill: 'downgrade' | null;
  /** history: one conversation (a contact's name or pin), and the newest N of each. */
  contact: string | null;
  limit: number | null;
}

const COMMANDS = new Set(['id', 'listen', 'connect', 'eve', 'drill', 'history']);
const MODES = new Set<string>(['passive', 'tamper', 'impostor', 'replay']);

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'profile-dir': { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
        'reveal-secrets': { type: 'boolean', default: false },
        host: { type: 'string', default: '0.0.0.0' },
        port: { type: 'string' },
        'accept-new': { type: 'boolean', default: false },
        'accept-first': { type: 'boolean', default: false },
        to: { type: 'string' },
        trust: { type: 'string', multiple: true, default: [] },
        pin: { type: 'string' },
        'pair-code': { type: 'string' },
        capture: { type: 'string' },
        'capture-keys': { type: 'boolean', default: false },
        groups: { type: 'string' },
        listen: { type: 'string' },
        forward: { type: 'string' },
        mode: { type: 'string' },
        contact: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new LockstepError('BAD_ARGUMENT', (err as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'help';
  if (values.help || command === 'help') return { ...blank(), command: 'help' };
  if (!COMMANDS.has(command)) throw new LockstepError('BAD_ARGUMENT', `Unknown command "${command}".`);
  const port = values.port === undefined ? null : Number(values.port);
  if (port !== null && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new LockstepError('BAD_ARGUMENT', `--port takes a number from 0 to 65535, not "${values.port}".`);
  }
  const target = command === 'drill' ? (positionals[2] ?? null) : (positionals[1] ?? null);
  if (command === 'connect' && (!target || (!values.pin && !values['pair-code']))) {
    throw new LockstepError('BAD_ARGUMENT', 'connect needs HOST:PORT and either --pin PIN (the pin or fingerprint the other side showed you) or --pair-code CODE.');
  }
  if (values['capture-keys'] && !values.capture) throw new LockstepError('BAD_ARGUMENT', '--capture-keys goes with --capture DIR.');
  if (values['accept-new'] && values['accept-first']) {
    throw new LockstepError('BAD_ARGUMENT', 'Choose one of --accept-new (every new key) and --accept-first (only the first new key).');
  }
  if ((values['accept-first'] || values.to !== undefined) && command !== 'listen') {
    throw new LockstepError('BAD_ARGUMENT', `${values.to !== undefined ? '--to' : '--accept-first'} goes with listen.`);
  }
  if (values.to !== undefined && !values.to.trim()) throw new LockstepError('BAD_ARGUMENT', '--to takes a pin or a contact name.');
  if (values.groups !== undefined && command !== 'listen' && command !== 'connect') throw new LockstepError('BAD_ARGUMENT', '--groups goes with listen or connect.');
  const groups = values.groups === undefined ? null : parseGroups(values.groups);
  const limit = values.limit === undefined ? null : Number(values.limit);
  if ((values.contact !== undefined || values.limit !== undefined) && command !== 'history') {
    throw new LockstepError('BAD_ARGUMENT', `${values.contact !== undefined ? '--contact' : '--limit'} goes with history.`);
  }
  if (limit !== null && (!Number.isInteger(limit) || limit < 1)) throw new LockstepError('BAD_ARGUMENT', `--limit takes a whole number from 1, not "${values.limit}".`);
  if (values.contact !== undefined && !values.contact.trim()) throw new LockstepError('BAD_ARGUMENT', '--contact takes a pin or a contact name.');
  const listenPort = values.listen === undefined ? null : Number(values.listen);
  if (command === 'eve') checkEve(values.listen, listenPort, values.forward, values.mode);
  if (command === 'drill' && (positionals[1] !== 'downgrade' || !target)) {
    throw new LockstepError('BAD_ARGUMENT', 'drill takes "downgrade HOST:PORT" (tamper, impostor and replay need Eve: see the eve command).');
  }
  return {
    command: command as CliArgs['command'],
    target,
    profileDir: values['profile-dir'] ?? null,
    name: values.name ?? null,
    json: values.json,
    revealSecrets: values['reveal-secrets'],
    host: values.host,
    port,
    acceptNew: values['accept-new'],
    acceptFirst: values['accept-first'],
    to: values.to?.trim() ?? null,
    trust: values.trust,
    pin: values.pin ?? null,
    pairCode: values['pair-code'] ?? null,
    capture: values.capture ?? null,
    captureKeys: values['capture-keys'],
    groups,
    listenPort,
    forward: values.forward ?? null,
    mode: (values.mode as EveModeArg | undefined) ?? null,
    drill: command === 'drill' ? 'downgrade' : null,
    contact: values.contact?.trim() ?? null,
    limit,
  };
}

function checkEve(listen: string | undefined, port: number | null, forward: string | undefined, mode: string | undefined): void {
  if (port === null || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LockstepError('BAD_ARGUMENT', `eve needs --listen PORT, a number from 0 to 65535${listen === undefined ? '' : `, not "${listen}"`}.`);
  }
  if (!forward) throw new LockstepError('BAD_ARGUMENT', 'eve needs --forward HOST:PORT: the listener she stands in front of.');
  if (!mode || !MODES.has(mode)) throw new LockstepError('BAD_ARGUMENT', `eve needs --mode passive, tamper, impostor or replay${mode ? `, not "${mode}"` : ''}.`);
}

function blank(): CliArgs {
  return {
    command: 'help',
    target: null,
    profileDir: null,
    name: null,
    json: false,
    revealSecrets: false,
    host: '0.0.0.0',
    port: null,
    acceptNew: false,
    acceptFirst: false,
    to: null,
    trust: [],
    pin: null,
    pairCode: null,
    capture: null,
    captureKeys: false,
    groups: null,
    listenPort: null,
    forward: null,
    mode: null,
    drill: null,
    contact: null,
    limit: null,
  };
}
