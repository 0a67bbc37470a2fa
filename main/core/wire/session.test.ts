/**
 * The protocol session as a foreign client meets it: a plain Node TLS client with its own
 * certificate (trusted by the listener on first use) writes raw lines, good and bad.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { makeCert } from '../../../test/helpers/openssl';
import { Lab, type Peer } from '../../../test/helpers/profiles';
import { LineClient } from '../../../test/helpers/raw-client';
import { MAX_FRAME_BYTES } from './framing';

const lab = new Lab();
afterEach(() => lab.cleanup());

const isError = (code: string) => (f: { type?: unknown; code?: unknown }) => f.type === 'error' && f.code === code;

/** Bob (accepting new keys) and a raw client that has exchanged hellos with him. */
async function greeted(): Promise<{ bob: Peer; client: LineClient; conn: string }> {
  const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
  const cert = makeCert(lab.tempDir(), 'Raw Client');
  const client = await LineClient.connect(bob.address, { key: cert.key, cert: cert.cert });
  const hello = await client.next((f) => f.type === 'hello', "Bob's hello");
  expect(hello).toMatchObject({ type: 'hello', v: 1, name: 'Bob' });
  client.send({ type: 'hello', v: 1, name: 'raw' });
  const ready = await bob.log.waitFor('conn.ready');
  expect(ready.detail.peerName).toBe('raw');
  return { bob, client, conn: ready.conn! };
}

describe('a session with a raw TLS client', () => {
  it('answers ping with pong and acknowledges a message', async () => {
    const { bob, client } = await greeted();
    client.send({ type: 'ping', n: 41 });
    expect(await client.next((f) => f.type === 'pong', 'a pong')).toEqual({ type: 'pong', n: 41 });
    client.send({ type: 'msg', id: 'raw-1', at: new Date().toISOString(), text: 'typed by hand' });
    expect(await client.next((f) => f.type === 'ack', 'an ack')).toEqual({ type: 'ack', id: 'raw-1' });
    const received = await bob.log.waitFor('message.received');
    expect(bob.m.messages.page(received.detail.contactId, undefined, 5).map((m) => m.text)).toEqual(['typed by hand']);
  });

  it('answers a malformed frame with BAD_FRAME and survives one, but closes after three', async () => {
    const { bob, client, conn } = await greeted();
    client.send('this is not json\n');
    const first = await client.next(isError('BAD_FRAME'), 'a BAD_FRAME error frame');
    expect(first.message).toMatch(/JSON/);
    client.send({ type: 'ping', n: 1 });
    await client.next((f) => f.type === 'pong', 'a pong after one bad frame');
    expect(client.closed).toBe(false);

    client.send('[1, 2, 3]\n');
    await client.next(isError('BAD_FRAME'), 'a second BAD_FRAME', { count: 2 });
    client.send({ type: 'msg', id: '', at: 'now', text: 'x' }); // schema violation: empty id
    await client.waitClosed('the listener to close after the third bad frame');
    // The peer is told why before the close: the third error frame arrives too.
    expect(client.frames.filter(isError('BAD_FRAME'))).toHaveLength(3);
    const closed = await bob.log.waitFor('conn.closed', (e) => e.conn === conn);
    expect(closed.detail).toMatchObject({ by: 'local', code: 'PROTOCOL_ERROR' });
    expect(bob.log.of('app.error', (e) => e.conn === conn && e.detail.code === 'BAD_FRAME')).toHaveLength(3);
    expect(bob.log.of('message.received')).toEqual([]);
  });

  it('answers an over-long line with FRAME_TOO_LARGE before its newline, and reads the next line', async () => {
    const { bob, client, conn } = await greeted();
    client.send('{"type":"msg","text":"' + 'x'.repeat(MAX_FRAME_BYTES + 100));
    const error = await client.next(isError('FRAME_TOO_LARGE'), 'a FRAME_TOO_LARGE error frame (no newline sent yet)');
    expect(error.message).toMatch(/64 KiB/);
    client.send('xxxx"}\n');
    client.send({ type: 'ping', n: 2 });
    expect(await client.next((f) => f.type === 'pong', 'a pong after the long line')).toEqual({ type: 'pong', n: 2 });
    expect(bob.log.of('app.error', (e) => e.conn === conn).map((e) => e.detail.code)).toEqual(['FRAME_TOO_LARGE']);
    expect(bob.log.of('frame.in', (e) => e.conn === conn && e.detail.type === 'msg')).toEqual([]);
  });

  it('ignores an unknown frame type without counting it as an error', async () => {
    const { bob, client, conn } = await greeted();
    for (let i = 0; i < 5; i += 1) client.send({ type: 'typing', on: true });
    client.send({ type: 'ping', n: 3 });
    await client.next((f) => f.type === 'pong', 'a pong after unknown frames');
    expect(client.frames.filter((f) => f.type === 'error')).toEqual([]);
    expect(bob.log.of('frame.in', (e) => e.conn === conn && e.detail.type === 'typing')).toHaveLength(5);
    expect(client.closed).toBe(false);
  });

  it('refuses a message sent before hello with PROTOCOL_ERROR', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const cert = makeCert(lab.tempDir(), 'Hasty');
    const client = await LineClient.connect(bob.address, { key: cert.key, cert: cert.cert });
    client.send({ type: 'msg', id: 'early', at: 'now', text: 'too soon' });
    await client.next(isError('PROTOCOL_ERROR'), 'a PROTOCOL_ERROR error frame');
    expect(client.frames.filter((f) => f.type === 'ack')).toEqual([]);
    expect(bob.log.of('message.received')).toEqual([]);
  });

  it('closes on a hello of another protocol version, saying VERSION_UNSUPPORTED', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept' });
    const cert = makeCert(lab.tempDir(), 'Future');
    const client = await LineClient.connect(bob.address, { key: cert.key, cert: cert.cert });
    client.send({ type: 'hello', v: 2, name: 'from the future' });
    await client.next(isError('VERSION_UNSUPPORTED'), 'a VERSION_UNSUPPORTED error frame');
    await client.waitClosed();
    expect((await bob.log.waitFor('conn.closed')).detail.code).toBe('VERSION_UNSUPPORTED');
    expect(bob.log.of('conn.ready')).toEqual([]);
  });

  it('ends the session on bye', async () => {
    const { bob, client, conn } = await greeted();
    client.send({ type: 'bye', reason: 'done' });
    await client.waitClosed();
    const closed = await bob.log.waitFor('conn.closed', (e) => e.conn === conn);
    expect(closed.detail).toMatchObject({ by: 'remote', code: null });
    expect(closed.detail.reason).toMatch(/done/);
  });

  it('drops a greeted peer that falls silent (keepalive), and pings first', async () => {
    const bob = await lab.peer('Bob', { unknownPeers: 'accept', timeouts: { pingMs: 200, idleMs: 600 } });
    const cert = makeCert(lab.tempDir(), 'Mute');
    const client = await LineClient.connect(bob.address, { key: cert.key, cert: cert.cert });
    client.send({ type: 'hello', v: 1, name: 'mute' });
    await client.next((f) => f.type === 'ping', 'a keepalive ping');
    await client.waitClosed('the listener to give up on the silent peer');
    expect((await bob.log.waitFor('conn.closed')).detail).toMatchObject({ by: 'local', code: 'TIMEOUT' });
  });
});
