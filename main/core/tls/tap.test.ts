import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { Tap, type TapDirection } from './tap';
import { collect, once } from './test-kit';

let server: net.Server | null = null;

/** A loopback TCP pair: `far` is the plain socket at the other end, `tap` wraps the near one. */
async function tcpPair(): Promise<{ far: net.Socket; tap: Tap; seen: { dir: TapDirection; bytes: Buffer }[] }> {
  server = net.createServer();
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const farP = once(server, 'connection') as Promise<net.Socket>;
  const near = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(near, 'connect');
  const tap = new Tap(near);
  const seen: { dir: TapDirection; bytes: Buffer }[] = [];
  tap.onBytes = (dir, bytes) => seen.push({ dir, bytes: Buffer.from(bytes) });
  return { far: await farP, tap, seen };
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

const seenBytes = (seen: { dir: TapDirection; bytes: Buffer }[], dir: TapDirection) => Buffer.concat(seen.filter((s) => s.dir === dir).map((s) => s.bytes)).toString();

it('passes bytes both ways and shows every one to onBytes', async () => {
  const { far, tap, seen } = await tcpPair();
  const farGot = collect(far, 5);
  tap.write('hello');
  expect((await farGot).toString()).toBe('hello');
  const tapGot = collect(tap, 6);
  far.write('world!');
  expect((await tapGot).toString()).toBe('world!');
  expect(seenBytes(seen, 'out')).toBe('hello');
  expect(seenBytes(seen, 'in')).toBe('world!');
  tap.destroy();
});

it('rewrites outbound bytes with transformOutbound, and onBytes sees what went on the wire', async () => {
  const { far, tap, seen } = await tcpPair();
  tap.transformOutbound = (chunk) => Buffer.from(chunk.toString().toUpperCase());
  const farGot = collect(far, 3);
  tap.write('abc');
  expect((await farGot).toString()).toBe('ABC');
  expect(seenBytes(seen, 'out')).toBe('ABC');
  tap.destroy();
});

it('shows an outgoing chunk only once it was handed to the socket, so a crash after the event still sends it', async () => {
  const { far, tap } = await tcpPair();
  const writtenWhenSeen: number[] = [];
  tap.onBytes = (dir) => {
    if (dir === 'out') writtenWhenSeen.push(tap.socket.bytesWritten);
  };
  const farGot = collect(far, 8);
  tap.write('abc');
  tap.write('defgh');
  expect((await farGot).toString()).toBe('abcdefgh');
  expect(writtenWhenSeen).toEqual([3, 8]);
  tap.destroy();
});

it('propagates end both ways', async () => {
  const { far, tap } = await tcpPair();
  tap.resume();
  far.resume();
  const tapEnded = once(tap, 'end');
  far.end();
  await tapEnded;
  const farEnded = once(far, 'end');
  tap.end();
  await farEnded;
});

it('destroying the tap closes the socket, and a closed socket destroys the tap', async () => {
  const a = await tcpPair();
  const farClosed = once(a.far, 'close');
  a.tap.destroy();
  await farClosed;
  expect(a.tap.socket.destroyed).toBe(true);
  await new Promise<void>((resolve) => server!.close(() => resolve()));
  const b = await tcpPair();
  const tapClosed = once(b.tap, 'close');
  b.far.destroy();
  await tapClosed;
  expect(b.tap.destroyed).toBe(true);
});

it('applies backpressure: pauses the socket while nobody reads, loses nothing', async () => {
  const { far, tap } = await tcpPair();
  const total = 8 * 1024 * 1024;
  const paused = once(tap.socket, 'pause');
  far.write(Buffer.alloc(total, 1));
  await paused; // the tap stopped TCP reads because its own buffer was full
  expect(tap.readableLength).toBeLessThan(total);
  const got = await collect(tap, total);
  expect(got.length).toBe(total);
  tap.destroy();
});

it('keeps the connection working when an observer throws', async () => {
  const { far, tap } = await tcpPair();
  const errors: unknown[] = [];
  tap.on('hookError', (e) => errors.push(e));
  tap.onBytes = () => {
    throw new Error('observer bug');
  };
  const farGot = collect(far, 2);
  tap.write('ok');
  expect((await farGot).toString()).toBe('ok');
  expect(errors).toHaveLength(1);
  expect(tap.onBytes).toBeUndefined();
  tap.destroy();
});

it('exposes the socket addresses', async () => {
  const { far, tap } = await tcpPair();
  expect(tap.remotePort).toBe(far.localPort);
  expect(tap.localPort).toBe(far.remotePort);
  expect(tap.remoteAddress).toBe('127.0.0.1');
  tap.destroy();
});
