import type { HandshakeFacts } from '../../../shared/events';
import { comparisonRows } from '../../state/handshake-comparison';

/** The hybrid and the classical-only handshake in two columns, for the room to compare. */
export function HandshakeComparison({ hybrid, classical }: { hybrid: HandshakeFacts | null; classical: HandshakeFacts }) {
  return (
    <table className="handshake-comparison" aria-label="Hybrid and classical handshakes compared">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">Post-quantum hybrid</th>
          <th scope="col">Classical only</th>
        </tr>
      </thead>
      <tbody>
        {comparisonRows(hybrid, classical).map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>{r.hybrid}</td>
            <td>{r.classical}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
