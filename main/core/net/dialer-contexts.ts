/**
 * The dialer's TLS contexts, built once and reused. `tls.connect({ key, cert, … })` builds a new
 * SecureContext for every connection: it parses the PEM key and certificate and sets up the
 * groups and suites again, about 0.2 ms of CPU a connect (bench/profile-connect.ts). A context
 * holds only this side's own key, certificate and settings (none of the peer's), so one context
 * per identity and offer serves every dial, as one context serves every connection a
 * `tls.Server` accepts.
 *
 * The cache is keyed by everything the context is made of, the private key included, so a
 * different identity (Eve's in a drill, a new profile) or a different offer (`--groups`, the
 * classical comparison) never gets another's context. It is small: a process has one identity
 * and a few offers at most.
 */
import { type ConnectionOptions, createSecureContext, type SecureContext } from 'node:tls';

import { contextSettings, dialerConnectionSettings, type TlsCredentials, type TlsTuning } from './tls-options';
import type { RuntimeFeatures } from '../runtime/runtime-features';

const MAX_CONTEXTS = 8;
const contexts = new Map<string, SecureContext>();

function contextFor(creds: TlsCredentials, tuning: TlsTuning, runtime: RuntimeFeatures): SecureContext {
  const settings = contextSettings(creds, tuning, runtime);
  const key = JSON.stringify(settings);
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext(settings);
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(key, context);
  }
  return context;
}

/** Options for `tls.connect`: the shared context for this identity and offer, and the per-connection settings. */
export function dialerConnectOptions(creds: TlsCredentials, tuning: TlsTuning, runtime: RuntimeFeatures): ConnectionOptions {
  return { ...dialerConnectionSettings(), secureContext: contextFor(creds, tuning, runtime) };
}
