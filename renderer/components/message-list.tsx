import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';

import type { MessageView } from '../../shared/views';
import { MessageBubble } from './message-bubble';

interface MessageListProps {
  messages: readonly MessageView[];
  contactName: string;
  onShowOnWire?: (messageId: string) => void;
}

/** The conversation, virtualised (only the visible bubbles are in the DOM), kept scrolled to the newest. */
export function MessageList({ messages, contactName, onShowOnWire }: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 76,
    overscan: 6,
    getItemKey: (index) => messages[index]?.id ?? index,
  });

  const count = messages.length;
  useEffect(() => {
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, virtualizer]);

  return (
    <div ref={scroller} className="messages" role="log" aria-label={`Messages with ${contactName}`} tabIndex={0}>
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
