/** What the main area shows: the identity card, one contact's chat, or one contact request. */
export type Selection = { kind: 'home' } | { kind: 'contact'; id: string } | { kind: 'request'; id: string };
