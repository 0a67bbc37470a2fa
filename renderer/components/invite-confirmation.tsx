import type { InvitePreview } from '../../shared/views';
import { DetailList } from './detail-list';
import { ReadableGroups } from './readable-groups';

const FIELD_WORDS = { name: 'Name', address: 'Address' } as const;

/**
 * What an invite says, parsed by the engine — the name, host, port and fingerprint that will be
 * saved and dialled, never the raw link, whose text can read as one host and mean another — and
 * what saving it would change about a contact the person already has.
 */
export function InviteConfirmation({ preview }: { preview: InvitePreview }) {
  const { existing, changes, namesake } = preview;
  return (
    <section className="invite-confirmation" aria-label="What this invite says">
      <DetailList
        rows={[
          { label: 'Name', value: preview.name || '(no name given)' },
          { label: 'Host', value: preview.host, mono: true },
          { label: 'Port', value: String(preview.port), mono: true },
        ]}
      />
      <p className="muted">Fingerprint of the key this invite pins:</p>
      <ReadableGroups value={preview.fingerprint} />
      {namesake && (
        <p className="loud-warning" role="alert">
          You already have a contact called “{namesake.name}” with a different key. This invite is not that contact: saving it adds a separate one.
        </p>
      )}
      {existing && changes.length > 0 && (
        <div className="loud-warning" role="alert">
          <p>This invite is for {existing.name ? `“${existing.name}”, a contact` : 'a contact'} you already have. Saving it changes:</p>
          <ul>
            {changes.map((change) => (
              <li key={change.field}>
                {FIELD_WORDS[change.field]}: {change.from ?? '(none)'} → {change.to}
              </li>
            ))}
          </ul>
          <p>Only save if you expected this: anyone can write an invite with a known key and their own address.</p>
        </div>
      )}
      {existing && changes.length === 0 && <p>You already have this contact ({existing.name || 'unnamed'}): nothing changes.</p>}
    </section>
  );
}
