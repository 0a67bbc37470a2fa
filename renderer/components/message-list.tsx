import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useEffectEvent, useLayoutEffect, useRef } from 'react';

import type { MessageView } from '../../shared/views';
import { MessageBubble } from './message-bubble';

interface MessageListProps {
  messages: readonly MessageView[];
  contactName: string;
  onShowOnWire?: (messageId: string) => void;
  /** Ask for the page before the oldest message shown (when scrolled to the top). */
  onLoadOlder?: () => void;
  loadingOlder?: boolean;
  /** The oldest message is shown: nothing older to load. */
  complete?: boolean;
}

/** How close to the top (px) counts as "at the top" for loading older messages. */
const NEAR_TOP = 80;

/**
 * The conversation, virtualised (only the visible bubbles are in the DOM), kept scrolled to the
 * newest; scrolling to the top loads older pages without moving what is on screen.
 */
export function MessageList({ messages, contactName, onShowOnWire, onLoadOlder, loadingOlder = false, complete = true }: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is not memo-safe; this app does not run the React compiler, so nothing is skipped.
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 76,
    overscan: 6,
    getItemKey: (index) => messages[index]?.id ?? index,
  });

  const count = messages.length;
  const newestId = messages[count - 1]?.id;
  // Only a new newest message scrolls down; older pages arriving at the top must not.
  const scrollToNewest = useEffectEvent(() => {
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  });
  useEffect(() => scrollToNewest(), [newestId]);

  // Older messages were put in front: keep the one that was at the top where it was.
  const firstId = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    const before = firstId.current;
    firstId.current = messages[0]?.id;
    if (!before || before === messages[0]?.id) return;
    const added = messages.findIndex((m) => m.id === before);
    if (added > 0) virtualizer.scrollToIndex(added, { align: 'start' });
  }, [messages, virtualizer]);

  const canLoadOlder = !complete && !loadingOlder && onLoadOlder !== undefined && count > 0;
  const onScroll = () => {
    if (canLoadOlder && (scroller.current?.scrollTop ?? Infinity) < NEAR_TOP) onLoadOlder();
  };

  return (
    <div ref={scroller} className="messages" role="log" aria-label={`Messages with ${contactName}`} tabIndex={0} onScroll={onScroll}>
      {loadingOlder && (
        <p className="muted history-loading" role="status">
          Loading older messages…
        </p>
      )}
      {canLoadOlder && (
        <p className="history-loading">
          <button type="button" onClick={onLoadOlder}>
            Load older messages
          </button>
        </p>
      )}
      {count === 0 ? (
        <p className="muted empty">No messages yet.</p>
      ) : (
        <ol className="virtual-list" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const message = messages[item.index]!;
            return (
              <li
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={`message-row message-${message.direction}`}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <MessageBubble message={message} onShowOnWire={onShowOnWire} />
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
