import type { MessageView } from '../../shared/views';
import { formatClock } from '../state/format';

const stateWords: Record<MessageView['state'], string> = {
  queued: 'Queued: sends when connected',
  sent: 'Sent',
  delivered: 'Delivered ✓',
  received: 'Received',
  failed: 'Not sent',
};

interface MessageBubbleProps {
  message: MessageView;
  /** Point the panel at the record that carried this message (demo step 5). */
  onShowOnWire?: (messageId: string) => void;
}

/** One message: its text (new lines kept), when, how far it got, and a way to its record on the wire. */
export function MessageBubble({ message, onShowOnWire }: MessageBubbleProps) {
  const onWire = onShowOnWire && message.state !== 'queued' && message.state !== 'failed' && !message.problem;
  const when = message.direction === 'out' ? message.sentAt : (message.receivedAt ?? message.sentAt);
  return (
    <div className={`bubble bubble-${message.direction} bubble-${message.state}`}>
      {message.problem ? (
        <p className="bubble-text bubble-problem">This message could not be opened: {message.problem}</p>
      ) : (
        <p className="bubble-text">{message.text}</p>
      )}
      <p className="bubble-meta">
        <time dateTime={when}>{formatClock(when)}</time>
        {message.direction === 'out' && <span className="bubble-state"> · {stateWords[message.state]}</span>}
        {onWire && (
          <>
            {' '}
            <button type="button" className="link-button" onClick={() => onShowOnWire(message.id)}>
              On the wire<span className="sr-only">: {message.text.slice(0, 40)}</span>
            </button>
          </>
        )}
      </p>
    </div>
  );
}
