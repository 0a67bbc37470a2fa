import type { ByteField } from '../../state/stage-bytes';

/**
 * Bytes annotated field by field: the bytes in monospace on top, the field's name and meaning
 * beside them. A marked byte (the one Eve flipped) is boxed and named, not only coloured.
 */
export function ByteFields({ fields, label }: { fields: readonly ByteField[]; label: string }) {
  if (fields.length === 0) return null;
  return (
    <dl className="byte-fields" aria-label={label}>
      {fields.map((f, i) => (
        <div key={i} className={`byte-field bytes-${f.tone}`}>
          <dt>{f.label}</dt>
          <dd>
            <span className="bytes" translate="no">
              {f.bytes.map((b, j) => (
                <span key={j}>
                  {j > 0 && ' '}
                  <span className={f.marked?.includes(j) ? 'byte byte-marked' : 'byte'}>
                    {b}
                    {f.marked?.includes(j) && <span className="sr-only"> (this byte was flipped)</span>}
                  </span>
                </span>
              ))}
            </span>{' '}
            <span className="byte-meaning">{f.meaning}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
