/** The headless peer's command line, parsed and checked up front (usage errors exit 2). */
import { parseArgs } from 'node:util';

import { LockstepError } from '../core/errors';

export const USAGE = `Usage: lockstep <command> [options]

Commands:
  id                                    create or load this profile's identity; print name, pin, fingerprint
  listen [--host H] [--port P] [--accept-new] [--trust PIN]...
                                        wait for contacts to connect (--port 0 picks a free port)
  connect HOST:PORT --pin PIN           connect to a listener whose pin you hold

Options:
  --profile-dir DIR   where the identity and database live (default: $LOCKSTEP_PROFILE_DIR or ~/.config/lockstep/cli)
  --name NAME         display name, used when the profile has no identity yet
  --json              one JSON object per line on stdout (human text goes to stderr)
  --reveal-secrets    demo mode: include TLS secret values in keylog events (never in normal use)
  -h, --help          this text

Each line on stdin is sent as a message to the connected peer; end of stdin says goodbye and exits.`;

export interface CliArgs {
  command: 'id' | 'listen' | 'connect' | 'help';
  target: string | null;
  profileDir: string | null;
  name: string | null;
  json: boolean;
  revealSecrets: boolean;
  host: string;
  port: number | null;
  acceptNew: boolean;
  trust: string[];
  pin: string | null;
}

const COMMANDS = new Set(['id', 'listen', 'connect']);

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
        trust: { type: 'string', multiple: true, default: [] },
        pin: { type: 'string' },
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
  const target = positionals[1] ?? null;
  if (command === 'connect' && (!target || !values.pin)) {
    throw new LockstepError('BAD_ARGUMENT', 'connect needs HOST:PORT and --pin PIN (the pin or fingerprint the other side showed you).');
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
    trust: values.trust,
    pin: values.pin ?? null,
  };
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
    trust: [],
    pin: null,
  };
}
