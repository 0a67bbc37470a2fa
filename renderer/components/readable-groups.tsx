import { readableGroups } from '../state/format';

interface ReadableGroupsProps {
  value: string;
  /** Pre-split groups (a wire pin); otherwise `value` is split the way it is read aloud. */
  groups?: string[];
  size?: 'large' | 'normal';
  className?: string;
}

/**
 * A fingerprint, pin or safety number as groups on a grid, for reading aloud and comparing by eye.
 * Real spaces sit between the groups, so copying and screen readers get the groups too.
 */
export function ReadableGroups({ value, groups, size = 'normal', className }: ReadableGroupsProps) {
  const parts = groups ?? readableGroups(value);
  return (
    <p className={`groups groups-${size}${className ? ` ${className}` : ''}`} translate="no">
      {parts.map((group, i) => (
        <span key={i}>
          <span className="group">{group}</span>
          {i < parts.length - 1 ? ' ' : null}
        </span>
      ))}
    </p>
  );
}
