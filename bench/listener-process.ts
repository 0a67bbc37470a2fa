/**
 * The listening side of bench/two-process.ts, in a process of its own (its own event loop, its
 * own core when there are two), as the other machine of a chat is:
 *
 *   tsx bench/listener-process.ts raw CLIENT_PIN   the baseline server (raw Node mutual TLS)
 *   tsx bench/listener-process.ts floor CLIENT_PIN the floor's receiver (bench/floor.ts)
 *   tsx bench/listener-process.ts full|inline|none a Lockstep engine (observe: 'full' is the app)
 *
 * Prints one JSON line, `{"port":N,"pin":"…"}`, once it listens; exits when stdin closes.
 */
import { createIdentity } from '../main/core/identity/identity';
import { openMessenger } from '../main/core/messenger/messenger';
import { BaselineServer } from './baseline';
import { FloorReceiver } from './floor';
import { NO_AUTOMATIC_RETRY } from './lockstep';
import { scratchDir } from './stats';

const [kind, clientPin] = process.argv.slice(2);

async function start(): Promise<{ port: number; pin: string; close: () => Promise<void> }> {
  if (kind === 'raw' || kind === 'floor') {
    if (!clientPin) throw new Error(`listener-process: ${kind} needs the client's pin`);
    const identity = await createIdentity(scratchDir('lockstep-bench-s-'), 'Baseline Server');
    const server = kind === 'raw' ? await BaselineServer.start(identity, clientPin, {}) : await FloorReceiver.start(identity, clientPin);
    return { port: server.port, pin: identity.pin, close: () => server.close() };
  }
  if (kind !== 'full' && kind !== 'inline' && kind !== 'none') throw new Error(`listener-process: unknown kind ${kind}`);
  const engine = await openMessenger({
    profileDir: scratchDir('lockstep-bench-l-'),
    listen: { host: '127.0.0.1', port: 0 },
    unknownPeers: 'accept',
    timeouts: NO_AUTOMATIC_RETRY,
    observe: kind,
  });
  await engine.createIdentity('Bench Listener');
  const port = engine.network().port;
  if (!port) throw new Error(`listener-process: not listening (${engine.network().error?.message ?? 'no error'})`);
  return { port, pin: engine.identity.pin, close: () => engine.close() };
}

const listening = await start();
process.stdout.write(`${JSON.stringify({ port: listening.port, pin: listening.pin })}\n`);
process.stdin.resume();
process.stdin.once('end', () => void listening.close().finally(() => process.exit(0)));
