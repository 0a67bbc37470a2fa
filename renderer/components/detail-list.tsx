import type { Detail } from '../state/step-details';

/** Label/value rows as a definition list; bytes and keys in monospace so they can be compared. */
export function DetailList({ rows, id }: { rows: readonly Detail[]; id?: string }) {
  return (
    <dl className="detail-list" id={id}>
      {rows.map((row, i) => (
        <div key={i} className="detail-row">
          <dt>{row.label}</dt>
          <dd className={row.mono ? 'mono wrap' : undefined}>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
