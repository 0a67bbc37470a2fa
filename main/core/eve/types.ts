/** Eve's vocabulary, shared by the relay, the impostor and the front ends. */
export type EveMode = 'passive' | 'tamper' | 'impostor' | 'replay';

/** Which peer a byte or a connection belongs to, from Eve's seat in the middle. */
export type Side = 'dialer' | 'listener';

export const EVE_MODES: readonly EveMode[] = ['passive', 'tamper', 'impostor', 'replay'];
