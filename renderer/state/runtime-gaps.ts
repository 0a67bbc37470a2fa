/**
 * What the panel says where the engine's runtime could not give a feature (the `runtimeGaps` of
 * `tls.secure` and `tls.error`, from the engine's probe at start). Electron's Node runs on
 * BoringSSL, which keeps no shared signature-algorithm list and chooses TLS 1.3 cipher suites
 * itself; the panel says so plainly instead of showing an empty value as if it were a fact.
 */
import type { RuntimeGap } from '../../shared/events';
import type { Detail } from './step-details';

export const runtimeGapWords: Record<RuntimeGap, string> = {
  'signature-algorithms': 'This runtime does not report the signature algorithms both sides share. The ClientHello step lists the ones offered.',
  'cipher-selection': 'This runtime chooses the TLS 1.3 cipher suite itself: the requested cipher-suite restriction is not in force.',
  keylog: 'This runtime does not give the TLS keys: records are shown as they travelled, not decrypted a second time.',
  exporter: 'This runtime cannot export TLS keying material, which binds pairing by code to its connection: pairing by code is off.',
  'alert-names': 'This runtime does not name the TLS alert in its error codes. An alert read from the wire is shown as its own step.',
};

/** One row per gap, for a step's details (none for an event from before the probe). */
export function runtimeGapDetails(gaps: readonly RuntimeGap[] | undefined): Detail[] {
  return (gaps ?? []).map((gap) => ({ label: 'Not available in this runtime', value: runtimeGapWords[gap] }));
}
