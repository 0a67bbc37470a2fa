import { describe, expect, it } from 'vitest';

import { commandOf } from './use-stage-keys';

const press = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => commandOf({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('the stage’s keys', () => {
  it('maps space and the arrows to steps, a letter to each drill, and leaves modified keys to the browser', () => {
    expect(press(' ')).toEqual({ kind: 'move', move: 'next' });
    expect(press('ArrowRight')).toEqual({ kind: 'move', move: 'next' });
    expect(press('ArrowLeft')).toEqual({ kind: 'move', move: 'back' });
    expect(press('ArrowDown')).toEqual({ kind: 'move', move: 'next-milestone' });
    expect(press('PageUp')).toEqual({ kind: 'move', move: 'back-scene' });
    expect(press('E')).toEqual({ kind: 'eve', mode: 'passive' });
    expect(press('t')).toEqual({ kind: 'eve', mode: 'tamper' });
    expect(press('r')).toEqual({ kind: 'eve', mode: 'replay' });
    expect(press('i')).toEqual({ kind: 'eve', mode: 'impostor' });
    expect(press('x')).toEqual({ kind: 'stop-eve' });
    expect(press('?')).toEqual({ kind: 'help' });
    expect(press('r', { ctrlKey: true })).toBeNull(); // Ctrl+R reloads, as ever
    expect(press('=', { ctrlKey: true })).toBeNull(); // the zoom's
    expect(press('q')).toBeNull();
  });
});
