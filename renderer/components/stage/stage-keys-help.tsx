/** The stage's keys, one line each (the same keys work everywhere on the stage but in a text field). */
export const STAGE_KEYS: readonly [string, string][] = [
  ['Space or →', 'next step'],
  ['←', 'previous step'],
  ['↓ / ↑', 'next / previous key moment (a hello, the pin check, a message, a refusal, a verdict)'],
  ['Page Down / Page Up', 'next / previous connection'],
  ['Home / End', 'first / newest step'],
  ['L', 'live: follow new steps as they happen, one at a time'],
  ['Enter', 'open the step on screen in the drawer'],
  ['Esc', 'close the drawer (or leave the message field)'],
  ['E T R I', 'Eve listens · flips a bit · replays · answers with her own key'],
  ['F', 'flip a bit in my next message (no Eve)'],
  ['D', 'try a TLS 1.2 downgrade'],
  ['C', 'connect once classical-only (X25519), to compare with the post-quantum hybrid'],
  ['X', 'stop Eve'],
  ['M', 'write a message'],
  ['?', 'this list'],
];

export function StageKeysHelp() {
  return (
    <dl className="keys-help">
      {STAGE_KEYS.map(([keys, what]) => (
        <div key={keys}>
          <dt>
            <kbd>{keys}</kbd>
          </dt>
          <dd>{what}</dd>
        </div>
      ))}
    </dl>
  );
}
