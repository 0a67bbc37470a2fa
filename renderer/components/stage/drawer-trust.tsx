import type { EventBase } from '../../../shared/events';
import { humanFingerprint } from '../../state/human-fingerprint';
import { trustDetails } from '../../state/step-details';
import { DetailList } from '../detail-list';
import { ReadableGroups } from '../readable-groups';

function Key({ title, pin }: { title: string; pin: string | null }) {
  const human = pin ? humanFingerprint(pin) : null;
  return (
    <section className="drawer-key" aria-label={title}>
      <h4>{title}</h4>
      {human ? <ReadableGroups value={human} /> : <p>{pin ? pin : '(none)'}</p>}
    </section>
  );
}

/** The pin check: the key presented beside the key pinned, in the form people compare aloud. */
export function TrustDrawer({ event }: { event: EventBase<'trust.check'> }) {
  const d = event.detail;
  const words = { match: 'The same key: this is who was pinned ✓', mismatch: 'A different key: refused before anything was sent ✗', unknown: 'A key never seen before: nothing flows until a person trusts it', 'no-certificate': 'No certificate at all: refused ✗' }[d.verdict];
  return (
    <>
      <h3>{words}</h3>
      <div className="side-by-side">
        <Key title="Pinned key (expected)" pin={d.expected} />
        <Key title="Presented key" pin={d.presented} />
      </div>
      <DetailList rows={trustDetails(d)} />
    </>
  );
}
