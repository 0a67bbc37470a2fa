/**
 * The independent witness: the openssl command line. Pins and certificate fields are computed
 * here without any Lockstep code, so a test compares the engine with something it did not make.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(args: string[], input?: Buffer | string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

const pins = new Map<string, string>();

/**
 * `openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`,
 * run as four separate processes piped by hand, returned as `sha256/<base64>`.
 */
export function opensslPin(certPath: string): string {
  // Memoised by the certificate's content: spawning openssl four times costs real time.
  const certPem = readFileSync(certPath, 'utf8');
  const known = pins.get(certPem);
  if (known) return known;
  const pubkeyPem = openssl(['x509', '-in', certPath, '-noout', '-pubkey']);
  const spkiDer = openssl(['pkey', '-pubin', '-outform', 'der'], pubkeyPem);
  const digest = openssl(['dgst', '-sha256', '-binary'], spkiDer);
  const b64 = openssl(['base64', '-A'], digest).toString('utf8').trim();
  const pin = `sha256/${b64}`;
  pins.set(certPem, pin);
  return pin;
}

/** One field of a certificate as openssl prints it (`-subject`, `-startdate`, `-enddate`…). */
export function opensslField(certPath: string, flag: string): string {
  const line = openssl(['x509', '-in', certPath, '-noout', flag, '-nameopt', 'RFC2253,-esc_msb']).toString('utf8').trim();
  return line.slice(line.indexOf('=') + 1);
}

export interface ClientCert {
  keyPath: string;
  certPath: string;
  key: Buffer;
  cert: Buffer;
}

/** A self-signed ECDSA P-256 certificate made by openssl, as a foreign client would have. */
export function makeCert(dir: string, cn: string): ClientCert {
  const base = cn.toLowerCase().replace(/\W/g, '') || 'cert';
  const keyPath = join(dir, `${base}.key`);
  const certPath = join(dir, `${base}.crt`);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-keyout', keyPath, '-out', certPath]);
  return { keyPath, certPath, key: readFileSync(keyPath), cert: readFileSync(certPath) };
}
