import type { MessageView } from '../../shared/views';
import { formatClock } from '../state/format';

const stateWords: Record<MessageView['state'], string> = {
  queued: 'Queued: sends when connected',
  sent: 'Sent',
  delivered: 'Delivered ✓',
  received: 'Received',
  failed: 'Not sent',
};

/** One message: its text (new lines kept), when, and how far it got. */
export function MessageBubble({ message }: { message: MessageView }) {
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
      </p>
    </div>
  );
}
