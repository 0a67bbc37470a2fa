/**
 * What the TLS library under this runtime offers the engine, found out once per process by a
 * real loopback TLS 1.3 handshake (runtime-probe.ts), never from a version number. Node ships
 * OpenSSL; Electron's Node is built on Chromium's BoringSSL, where some of it is missing or
 * different (README.md, "Runtimes: OpenSSL and BoringSSL", lists each use and its source). The
 * engine uses what is there; where a panel feature is missing, the events carry a `RuntimeGap`
 * and the panel says so in words instead of failing. Trust never depends on any of these: the
 * pin check reads only the peer certificate, which every runtime gives.
 */
import type { RuntimeGap } from '../../../shared/events';
import { probeRuntime } from './runtime-probe';

/**
 * One flag per optional feature.
 *
 * Key-exchange groups (which groups a runtime offers and reports, X25519MLKEM768 among them) are
 * deliberately not probed here: they belong to main/core/net/key-exchange-groups.ts. When that
 * needs a probed fact, add a `groups` field to this interface (and to FEATURE_NAMES, the gap in
 * shared/events.ts, and the probe's handshake), beside the others.
 */
export interface RuntimeFeatures {
  /** `getSharedSigalgs()` lists the signature algorithms both sides share (BoringSSL: always []). */
  signatureAlgorithms: boolean;
  /** The `ciphers` option restricts the TLS 1.3 cipher suites (BoringSSL: ignored, built-in order). */
  cipherSelection: boolean;
  /** The `keylog` event gives the TLS 1.3 traffic secrets, so the panel can decrypt every record again. */
  keylog: boolean;
  /** `exportKeyingMaterial()` (RFC 8446 §7.5) works: pairing by code binds its CPace run to it. */
  exporter: boolean;
  /** A TLS error's `code` names the alert (`ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION`), so no message is read. */
  alertCodes: boolean;
}

export type RuntimeFeatureName = keyof RuntimeFeatures;

export const FEATURE_NAMES: readonly RuntimeFeatureName[] = ['signatureAlgorithms', 'cipherSelection', 'keylog', 'exporter', 'alertCodes'];

/** The gap each missing feature leaves in the panel, as the events name it. */
export const GAP_OF: Record<RuntimeFeatureName, RuntimeGap> = {
  signatureAlgorithms: 'signature-algorithms',
  cipherSelection: 'cipher-selection',
  keylog: 'keylog',
  exporter: 'exporter',
  alertCodes: 'alert-names',
};

/** What a caller that never asked gets: everything (how the engine behaved before the probe). */
export const ALL_FEATURES: Readonly<RuntimeFeatures> = Object.freeze({
  signatureAlgorithms: true,
  cipherSelection: true,
  keylog: true,
  exporter: true,
  alertCodes: true,
});

export interface RuntimeOptions {
  /**
   * Behave as on a runtime without these features, whatever the probe found (tests use it to run
   * the engine as it would run on BoringSSL). Never set by the app.
   */
  disable?: readonly RuntimeFeatureName[];
}

/** What the probe found: the features the engine uses, and why the probe failed if it did. */
export interface RuntimeReport {
  features: RuntimeFeatures;
  /** The error code of a probe that could not finish (then every feature is off), else null. */
  problem: string | null;
}

/** The probed features, minus any the caller switched off, with the probe's problem if any. */
export async function runtimeReport(options: RuntimeOptions = {}): Promise<RuntimeReport> {
  const probed = await probeRuntime();
  const features = { ...probed.features };
  for (const name of options.disable ?? []) features[name] = false;
  return { features, problem: probed.problem };
}

/** The features the engine uses: the probed ones, minus any the caller switched off. */
export async function runtimeFeatures(options: RuntimeOptions = {}): Promise<RuntimeFeatures> {
  return (await runtimeReport(options)).features;
}

/** The gaps among `names` (in this order), for an event's `runtimeGaps`. */
export function gapsOf(features: RuntimeFeatures, names: readonly RuntimeFeatureName[]): RuntimeGap[] {
  return names.filter((n) => !features[n]).map((n) => GAP_OF[n]);
}
