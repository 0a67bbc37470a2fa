import { describe, expect, it } from 'vitest';

import type { EventInput, LockstepEvent } from '../../shared/events';
import { impostorThroughEve, tamperThroughEve } from '../test/drill-fixtures';
import { dialerSession, stamp } from '../test/fixtures';
import type { Beat } from './stage-beats';
import { whatEveSees } from './stage-eve-beats';
import { buildStory } from './stage-story';

const lanes = (beats: Beat[]) => beats.map((b) => `${b.lane}${b.flow ? `:${b.flow}` : ''} ${b.title}`);

function witnessFor(events: LockstepEvent[], text: string, equal = true): EventInput {
  const carrier = events.find((e) => e.kind === 'tls.record' && e.detail.decrypted?.plaintext?.includes(text));
  if (carrier?.kind !== 'tls.record') throw new Error(`no record carries ${text}`);
  return { conn: carrier.conn, dir: carrier.dir, layer: 'record', kind: 'tls.witness', summary: 'witness', detail: { recordIndex: carrier.detail.index, bytes: 80, equal, preview: text } };
}

describe('the stage story of one connection', () => {
  const events = stamp(dialerSession('c1', 'alice'));
  const story = buildStory(events, { selfName: 'Bob' });

  it('is one scene named after both sides, its beats in lanes: TCP and TLS on the wire, decisions on either side', () => {
    expect(story.scenes).toHaveLength(1);
    expect(story.scenes[0]).toMatchObject({ title: 'Connection 1: Bob ⇄ Alice', selfName: 'Bob', peerName: 'Alice', role: 'dialer', first: 0, count: story.beats.length });
    const drawn = lanes(story.beats);
    expect(drawn.slice(0, 5)).toEqual(['wire:to-peer SYN', 'wire:to-self SYN/ACK', 'wire:to-peer ACK', 'wire:to-peer ClientHello', 'wire:to-self ServerHello']);
    expect(drawn).toContain('self Pin check ✓');
    expect(drawn).toContain('self Handshake complete');
    expect(drawn).toContain('peer Hello from Alice');
    expect(drawn).toContain('peer Alice: got it');
    // The listener's flight, one arrow per handshake message, all from the other side.
    const flight = drawn.filter((d) => d.startsWith('wire:to-self ') && / (EncryptedExtensions|Certificate\w*|Finished)$/.test(d));
    expect(flight).toEqual(['wire:to-self EncryptedExtensions', 'wire:to-self CertificateRequest', 'wire:to-self Certificate', 'wire:to-self CertificateVerify', 'wire:to-self Finished']);
  });

  it('folds what a room does not need: the key-log lines into one beat, change_cipher_spec and the frames the records carry', () => {
    const keys = story.beats.filter((b) => b.subject.kind === 'keys');
    expect(keys).toHaveLength(1);
    expect(keys[0]!.title).toBe('Keys derived');
    expect(keys[0]!.note).toBe('SERVER_HANDSHAKE_TRAFFIC_SECRET · CLIENT_HANDSHAKE_TRAFFIC_SECRET');
    expect(story.beats.some((b) => b.title === 'ChangeCipherSpec')).toBe(false);
    expect(story.beats.some((b) => b.source.kind === 'frame.out')).toBe(false);
  });

  it('keeps the hello’s clear record beside it, and marks the moments worth jumping to', () => {
    const hello = story.beats.find((b) => b.title === 'ClientHello')!;
    expect(hello.subject.kind === 'hello' && hello.subject.record?.detail.headerHex).toBe('16030305f0');
    expect(hello.clear).toBe(true);
    const finished = story.beats.find((b) => b.title === 'Finished')!;
    expect(finished.clear).toBe(false);
    const milestones = story.beats.filter((b) => b.milestone).map((b) => b.title);
    expect(milestones).toEqual(expect.arrayContaining(['ClientHello', 'ServerHello', 'Pin check ✓', 'Connected', 'Hello from Alice', 'Alice: got it']));
    expect(milestones).not.toContain('SYN/ACK');
  });

  it('joins the independent witness to the record it checked; a mismatch turns that record red', () => {
    const ok = buildStory(stamp([...dialerSession('c1', 'alice'), witnessFor(events, 'meet at 6')]), { selfName: 'Bob' });
    expect(ok.beats).toHaveLength(story.beats.length);
    const carrier = ok.beats.find((b) => b.subject.kind === 'record' && b.subject.witness !== null)!;
    expect(carrier.note).toContain('meet at 6');
    expect(carrier.tone).toBe('plain');
    const bad = buildStory(stamp([...dialerSession('c1', 'alice'), witnessFor(events, 'meet at 6', false)]), { selfName: 'Bob' });
    const red = bad.beats.find((b) => b.subject.kind === 'record' && b.subject.witness !== null)!;
    expect(red).toMatchObject({ title: 'Independent check ✗', tone: 'bad' });
  });

  it('draws a record whose plaintext the engine withheld as withheld, never as text', () => {
    const inputs = dialerSession('c1', 'alice').map((e) => {
      if (e.kind !== 'tls.record' || !e.detail.decrypted?.plaintext?.includes('meet at 6')) return e;
      const { plaintext: _dropped, ...decrypted } = e.detail.decrypted;
      return { ...e, detail: { ...e.detail, decrypted: { ...decrypted, withheld: 'untrusted' } } } as EventInput;
    });
    const withheld = buildStory(stamp(inputs), { selfName: 'Bob' }).beats.find((b) => b.note.includes('withheld'))!;
    expect(withheld.note).toMatch(/plaintext withheld: untrusted$/);
    expect(withheld.note).not.toContain('meet at 6');
  });
});

describe('scenes across connections and drills', () => {
  it('gives Eve’s relay its own lane inside the connection it carried, in stream order', () => {
    const events = stamp([...dialerSession('out-1', 'alice'), ...tamperThroughEve('out-2', 'eve1-1')]);
    const story = buildStory(events, { selfName: 'Bob' });
    expect(story.scenes.map((s) => s.title)).toEqual(['Connection 1: Bob ⇄ Alice', 'Eve flips a bit on the wire']);
    const drill = story.scenes[1]!;
    expect(drill).toMatchObject({ conn: 'out-2', eveConns: ['eve1-1'], eveMode: 'tamper', peerName: 'Alice' });
    const beats = story.beats.slice(drill.first);
    expect(lanes(beats)).toEqual([
      'eve Eve takes the call',
      'wire:to-peer SYN',
      'wire:to-self SYN/ACK',
      'wire:to-peer ACK',
      'eve:to-peer Eve dials Alice',
      'eve:to-peer Eve reads ClientHello',
      // Eve's change_cipher_spec is left out, as this side's is.
      'self Pin check ✓',
      'eve:to-peer Eve flips a bit',
      'peer Refused by Alice',
      'self Tamper defeated ✓',
      'self Connection closed',
      'eve Eve — Tamper defeated ✓',
    ]);
    const flip = beats.find((b) => b.title === 'Eve flips a bit')!;
    expect(flip.note).toBe('bit 0 of byte 7 in record #4 from Bob, then passes it on');
    expect(flip.phase).toBe(2);
    expect(beats.find((b) => b.lane === 'peer')!.note).toBe('alert: bad_record_mac');
  });

  it('names the impostor scene and shows Eve answering with her own key, then both refusals', () => {
    const story = buildStory(stamp(impostorThroughEve('out-3', 'eve2-1')), { selfName: 'Bob' });
    expect(story.scenes).toHaveLength(1);
    expect(story.scenes[0]).toMatchObject({ title: 'Eve answers with her own key', eveConns: ['eve2-1', 'eve2-1/dialer'], eveMode: 'impostor' });
    expect(lanes(story.beats).filter((l) => !l.startsWith('wire'))).toEqual([
      'eve Eve takes the call',
      'eve:to-self Eve answers Bob with her own key',
      'eve Eve’s handshake with Bob completes',
      'self Pin check ✗ refused',
      'self Impostor defeated ✓',
      'self Connection closed',
      'eve Eve — Impostor defeated ✓',
    ]);
  });

  it('draws a downgrade attempt as its own scene, its verdict once though two parts of the engine give it', () => {
    const conn = 'drill-x1';
    const verdict: EventInput = { conn, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: 'refused', detail: { drill: 'downgrade', outcome: 'defeated', reason: 'protocol_version: TLS 1.3 only.' } };
    const story = buildStory(stamp([
      { conn, dir: 'in', layer: 'tls', kind: 'tls.error', summary: 'alert', detail: { code: 'TLS_ALERT', message: 'fatal alert protocol_version (from the peer)', alert: 'protocol_version', failure: 'protocol-version' } },
      verdict,
      { conn, dir: 'local', layer: 'tls', kind: 'tls.error', summary: 'refused', detail: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'tlsv1 alert protocol version', alert: 'protocol version', failure: 'protocol-version' } },
      verdict,
    ]), { selfName: 'Bob' });
    expect(story.scenes.map((s) => s.title)).toEqual(['A TLS 1.2 downgrade attempt']);
    expect(lanes(story.beats)).toEqual(['peer Refused by the listener', 'self TLS 1.2 downgrade defeated ✓']);
  });

  it('keeps a relay of someone else’s connection as a scene of its own', () => {
    const story = buildStory(stamp(tamperThroughEve('out-2', 'eve1-1').filter((e) => e.conn === 'eve1-1')), { selfName: 'Bob' });
    expect(story.scenes.map((s) => [s.kind, s.conn, s.selfName])).toEqual([['eve', null, 'the dialer']]);
  });

  it('knows Eve’s connections by the engine’s tag, never by their ids', () => {
    const relay = tamperThroughEve('out-2', 'eve1-1');
    // The same stream with Eve's connection renamed, and without its tags: the id decides nothing.
    const renamed = relay.map((e) => (e.conn === 'eve1-1' ? { ...e, conn: 'out-9' } : e));
    const untagged = relay.map(({ eve: _eve, ...e }) => e as typeof e);
    expect(buildStory(stamp(renamed), { selfName: 'Bob' }).scenes.map((s) => [s.kind, s.conn, s.eveConns])).toEqual([['connection', 'out-2', ['out-9']]]);
    expect(buildStory(stamp(untagged), { selfName: 'Bob' }).scenes.map((s) => [s.kind, s.conn, s.eveConns])).toEqual([
      ['connection', 'eve1-1', []],
      ['connection', 'out-2', []],
    ]);
  });

  it('reads what the first bytes of a record tell Eve', () => {
    expect(whatEveSees('16 03 03 00 7a 02 00 00 76')).toEqual({ words: 'ServerHello', clear: true, skip: false });
    expect(whatEveSees('17 03 03 00 2a 9f')).toEqual({ words: 'ciphertext', clear: false, skip: false });
    expect(whatEveSees('14 03 03 00 01 01').skip).toBe(true);
  });
});
