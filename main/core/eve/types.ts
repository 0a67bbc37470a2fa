/** Eve's vocabulary, shared by the relay, the impostor and the front ends. */
import type { EventInput } from '../../../shared/events';

export type EveMode = 'passive' | 'tamper' | 'impostor' | 'replay';

/** Which peer a byte or a connection belongs to, from Eve's seat in the middle. */
export type Side = 'dialer' | 'listener';

export const EVE_MODES: readonly EveMode[] = ['passive', 'tamper', 'impostor', 'replay'];

/**
 * An emit that marks every event as one of Eve's (`relay`, and the impostor's `leg`), as
 * events.ts's EveTag says. The innermost tag wins: a leg's emit wraps its relay's.
 */
export function tagAsEve(emit: (e: EventInput) => void, relay: string, leg: Side | null): (e: EventInput) => void {
  return (e) => emit(e.eve ? e : { ...e, eve: { relay, leg } });
}
