// The one-laptop demo's launches (`npm start -- --demo`): first the preparation, then Alice and
// Bob side by side, each on the port the prepared profiles expect (main/core/demo/demo-profiles.ts).
// Kept apart from start.mjs so the e2e suite starts the demo with exactly these flags.

/** Make the Alice and Bob profiles (pinned to each other), then exit. */
export const DEMO_SETUP_ARGS = ['--demo-setup'];

/** One argument list per window. */
export const DEMO_LAUNCHES = [
  { profile: 'alice', port: 47474, args: ['--profile', 'alice', '--port', '47474', '--demo', '--demo-side=left'] },
  { profile: 'bob', port: 47475, args: ['--profile', 'bob', '--port', '47475', '--demo', '--demo-side=right'] },
];
