import { useMemo } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import { keyStory, type KeyLink } from '../../state/wire-model';

function LinkItem({ link, demo }: { link: KeyLink; demo: boolean }) {
  return (
    <li className={`key-link${link.seen ? ' key-seen' : ''}`}>
      <p className="key-title">{link.title}</p>
      <p className="key-how">{link.how}</p>
      {link.secret !== null ? (
        <p className="mono key-secret">{link.secret}</p>
      ) : link.label.includes('TRAFFIC_SECRET') ? (
        <p className="muted key-hidden">{link.seen ? (demo ? 'value not in the event' : 'hidden (not in demo mode)') : 'not derived yet'}</p>
      ) : null}
    </li>
  );
}

/** Demo step 4, the key schedule (RFC 8446 §7.1, §7.3) as one vertical chain. */
export function KeysView({ events, conn }: { events: readonly LockstepEvent[]; conn: string | null }) {
  const story = useMemo(() => keyStory(events, conn), [events, conn]);
  return (
    <section className="wire-keys" aria-label="Keys">
      <h3>Where the keys come from</h3>
      {story.demo && (
        <p className="demo-warning" role="alert">
          DEMO MODE — secret values shown; never do this with a real conversation.
        </p>
      )}
      {story.shares.length > 0 && (
        <ul className="key-shares">
          {story.shares.map((s, i) => (
            <li key={i}>
              {s.who} key share: {s.group}, {s.length} bytes{s.parts.length > 1 ? ` (${s.parts.map((p) => `${p.name} ${p.length}`).join(' + ')})` : ''}, starts <span className="mono">{s.preview}</span> (public, sent in the clear)
            </li>
          ))}
        </ul>
      )}
      <ol className="key-chain">
        {story.chain.map((link) => (
          <LinkItem key={link.label} link={link} demo={story.demo} />
        ))}
        {story.updates.map((link) => (
          <LinkItem key={link.label} link={link} demo={story.demo} />
        ))}
      </ol>
    </section>
  );
}
