import type { NetworkView } from '../../shared/views';
import { runtimeGapWords } from '../state/runtime-gaps';

/**
 * On the identity card: what this runtime's TLS library cannot give the panel (found by the
 * engine's probe at start), and why, if the probe itself failed. Nothing when all is there.
 * Trust never depends on any of it: the pin check reads only the peer's certificate.
 */
export function RuntimeCard({ runtime }: { runtime: NetworkView['runtime'] }) {
  if (runtime.gaps.length === 0 && !runtime.probeProblem) return null;
  return (
    <section className="runtime-card" aria-labelledby="runtime-heading">
      <h3 id="runtime-heading">What this runtime’s TLS does not show</h3>
      {runtime.probeProblem && (
        <p role="alert" className="error">
          The start-up check of this runtime’s TLS library could not finish ({runtime.probeProblem}), so the panel assumes none of its optional features. Connections and pin checks work as ever.
        </p>
      )}
      <ul>
        {runtime.gaps.map((gap) => (
          <li key={gap}>{runtimeGapWords[gap]}</li>
        ))}
      </ul>
    </section>
  );
}
