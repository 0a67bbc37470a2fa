/**
 * The connection's secrets in the NSS key log format (SSLKEYLOGFILE) that Wireshark reads with
 * `tls.keylog_file`: `LABEL <client_random hex> <secret hex>`, one per line. Only the TLS 1.3
 * traffic secrets are kept — what it takes to read the records, and nothing else.
 *
 * OpenSSL 3.0 logs the secrets after a KeyUpdate under the literal labels
 * `CLIENT_TRAFFIC_SECRET_N` / `SERVER_TRAFFIC_SECRET_N` (measured); they are written numbered
 * (`_1`, `_2`, …) here. Wireshark derives the post-KeyUpdate keys from `_0` by itself, so those
 * lines are for people and other tools.
 */
const LABEL = /^(CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|(?:CLIENT|SERVER)_TRAFFIC_SECRET_(?:\d+|N)) [0-9a-fA-F]{64} [0-9a-fA-F]+$/;

/** True for a keylog line worth keeping for a capture (the four secrets and their successors). */
export function isTrafficSecretLine(line: string): boolean {
  return LABEL.test(line.trim());
}

export function sslKeylogFile(lines: readonly string[]): string {
  const generation = { CLIENT: 0, SERVER: 0 };
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!isTrafficSecretLine(line)) continue;
    const n = /^(CLIENT|SERVER)_TRAFFIC_SECRET_N /.exec(line);
    if (n) {
      const who = n[1] as 'CLIENT' | 'SERVER';
      generation[who] += 1;
      out.push(line.replace(`${who}_TRAFFIC_SECRET_N`, `${who}_TRAFFIC_SECRET_${generation[who]}`));
    } else out.push(line);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
