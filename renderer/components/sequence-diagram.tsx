import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useRef, useState, type WheelEvent } from 'react';

import { phaseTitles, type Row } from '../state/sequence-steps';
import { SequenceStep } from './sequence-step';

/** A request to show the record that carried a chat message (from a bubble's "On the wire"). */
export interface WireFocus {
  messageId: string;
  /** Distinguishes two requests for the same message. */
  nonce: number;
}

interface SequenceDiagramProps {
  rows: readonly Row[];
  selfName: string;
  peerName: string;
  follow: boolean;
  focus: WireFocus | null;
  /**
   * The user scrolled back to read (wheel or drag upwards, ↑, PageUp, Home): following new steps
   * would pull the view away from what they are pointing at, so the owner stops following.
   */
  onLookBack?: () => void;
}

/** Keys that move the view back through the diagram. */
const LOOK_BACK_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);

/** The record that carried the message, else its msg frame (a sampled record has no plaintext). */
function rowOfMessage(rows: readonly Row[], messageId: string): number {
  const record = rows.findIndex((r) => r.type === 'step' && r.step.messageId === messageId && r.step.title === 'Encrypted record');
  return record >= 0 ? record : rows.findIndex((r) => r.type === 'step' && r.step.messageId === messageId);
}

/**
 * The diagram as a virtualised list: a bulk transfer makes tens of thousands of records, and only
 * the rows on screen are in the DOM. Expanded steps are remembered here because rows unmount
 * when they scroll away.
 */
export function SequenceDiagram({ rows, selfName, peerName, follow, focus, onLookBack }: SequenceDiagramProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is not memo-safe; this app does not run the React compiler, so nothing is skipped.
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

  // Show (expanded, centred, focused) the record a bubble asked for, once its rows are here.
  const handled = useRef<number | null>(null);
  useEffect(() => {
    if (!focus || handled.current === focus.nonce) return;
    const index = rowOfMessage(rows, focus.messageId);
    if (index < 0) return;
    handled.current = focus.nonce;
    const key = rows[index]!.key;
    setExpanded((old) => new Set(old).add(key));
    virtualizer.scrollToIndex(index, { align: 'center' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"] .step-button`)?.focus());
  }, [focus, rows, virtualizer]);

  // Only the user's own gestures count: the follow scroll and the virtualiser's corrections also
  // fire 'scroll', so the scroll position alone cannot tell who moved it.
  const lookBack = () => {
    if (follow) onLookBack?.();
  };
  const onWheel = (event: WheelEvent) => {
    if (event.deltaY < 0) lookBack();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (LOOK_BACK_KEYS.has(event.key)) lookBack();
  };
  // A press on the scroller itself, not on a row: its scroll bar.
  const onPointerDown = (event: PointerEvent) => {
    if (event.target === event.currentTarget) lookBack();
  };

  return (
    <div
      ref={scroller}
      className="diagram"
      tabIndex={0}
      role="group"
      aria-label="Sequence diagram"
      onWheel={onWheel}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
    >
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
