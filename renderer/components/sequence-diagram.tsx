import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';

import { phaseTitles, type Row } from '../state/sequence-steps';
import { SequenceStep } from './sequence-step';

interface SequenceDiagramProps {
  rows: readonly Row[];
  selfName: string;
  peerName: string;
  follow: boolean;
}

/**
 * The diagram as a virtualised list: a bulk transfer makes tens of thousands of records, and only
 * the rows on screen are in the DOM. Expanded steps are remembered here because rows unmount
 * when they scroll away.
 */
export function SequenceDiagram({ rows, selfName, peerName, follow }: SequenceDiagramProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (rows[index]?.type === 'phase' ? 48 : 110),
    overscan: 6,
    getItemKey: (index) => rows[index]?.key ?? index,
  });

  const toggle = useCallback((key: string) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);

  // Follow steps that arrive while the panel is open; on opening, start at the top, where the story starts (TCP).
  const count = rows.length;
  const seen = useRef(count);
  useEffect(() => {
    const grew = count > seen.current;
    seen.current = count;
    if (follow && grew) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [follow, count, virtualizer]);

  return (
    <div ref={scroller} className="diagram" tabIndex={0} role="group" aria-label="Sequence diagram">
      <ol className="virtual-list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          if (row.type === 'phase') {
            return (
              <li
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className={`phase phase-${row.phase}`}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <h3>{phaseTitles[row.phase]}</h3>
              </li>
            );
          }
          return (
            <SequenceStep
              key={item.key}
              ref={virtualizer.measureElement}
              index={item.index}
              start={item.start}
              step={row.step}
              expanded={expanded.has(row.key)}
              selfName={selfName}
              peerName={peerName}
              onToggle={toggle}
            />
          );
        })}
      </ol>
    </div>
  );
}
