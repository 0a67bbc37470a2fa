/**
 * The whole stage as one story: every scene (connection) of the stream in the order it began,
 * each with its beats in the order they happened, flattened so the presenter can step through
 * the lot with one key. Built from events alone, so a live stream and a saved session draw alike.
 */
import type { LockstepEvent } from '../../shared/events';
import { connectionBeats, type Beat } from './stage-beats';
import { eveBeats } from './stage-eve-beats';
import { buildScenes, eventsByConn, type EveMode, type Scene } from './stage-scenes';

export interface StoryScene extends Scene {
  index: number;
  /** Index of the scene's first beat in the story. */
  first: number;
  count: number;
  /** Names as the lanes show them. */
  selfName: string;
  peerName: string;
  title: string;
}

export interface Story {
  scenes: StoryScene[];
  beats: Beat[];
  /** Beat key → index in `beats`. */
  positions: ReadonlyMap<string, number>;
}

const eveTitles: Record<EveMode, string> = {
  passive: 'Eve listens on the wire',
  tamper: 'Eve flips a bit on the wire',
  replay: 'Eve replays a record',
  impostor: 'Eve answers with her own key',
};

function sceneTitle(scene: Scene, ordinal: number, selfName: string, peerName: string): string {
  if (scene.kind === 'downgrade') return 'A TLS 1.2 downgrade attempt';
  if (scene.eveConns.length > 0) return `${eveTitles[scene.eveMode ?? 'passive']}`;
  return `Connection ${ordinal}: ${selfName} ⇄ ${peerName}`;
}

/** Own beats and Eve's, merged in stream order; Eve's beats take the phase the connection is in. */
function merge(own: Beat[], eve: Beat[]): Beat[] {
  const all = [...own, ...eve].sort((a, b) => a.seq - b.seq);
  let phase = all.find((b) => b.lane !== 'eve')?.phase ?? 1;
  for (const beat of all) {
    if (beat.lane === 'eve') beat.phase = phase;
    else phase = beat.phase;
  }
  return all;
}

export interface StoryOptions {
  /** This side's name (the identity's, or "This side" for a saved session). */
  selfName: string;
}

export function buildStory(events: readonly LockstepEvent[], { selfName }: StoryOptions): Story {
  const byConn = eventsByConn(events);
  const scenes: StoryScene[] = [];
  const beats: Beat[] = [];
  let ordinal = 0;
  for (const scene of buildScenes(byConn)) {
    const peerName = scene.peerName ?? (scene.kind === 'downgrade' ? 'the listener' : 'the other side');
    const names = { self: scene.conn ? selfName : 'the dialer', peer: peerName };
    const own = scene.conn ? connectionBeats(scene.conn, byConn.get(scene.conn)!, names) : [];
    const eveEvents = scene.eveConns.flatMap((c) => byConn.get(c)!).sort((a, b) => a.seq - b.seq);
    const sceneBeats = merge(own, eveBeats(eveEvents, names));
    if (sceneBeats.length === 0) continue;
    if (scene.kind === 'connection' && scene.eveConns.length === 0) ordinal += 1;
    const index = scenes.length;
    for (const beat of sceneBeats) beat.scene = index;
    scenes.push({ ...scene, index, first: beats.length, count: sceneBeats.length, selfName: names.self, peerName, title: sceneTitle(scene, ordinal, selfName, peerName) });
    beats.push(...sceneBeats);
  }
  return { scenes, beats, positions: new Map(beats.map((b, i) => [b.key, i])) };
}

/** Index of the beat with this key, or -1. */
export function beatIndex(story: Story, key: string | null): number {
  return key === null ? -1 : (story.positions.get(key) ?? -1);
}
