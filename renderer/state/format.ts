/** Display helpers: the forms people read aloud or compare by eye, from the engine's raw values. */

function chunk(text: string, size: number): string[] {
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += size) groups.push(text.slice(i, i + size));
  return groups;
}

/**
 * Groups of a fingerprint or safety number for a grid people read aloud. The engine already
 * groups them (spaces or dashes); an ungrouped string is cut into fives (digits) or fours.
 */
export function readableGroups(value: string): string[] {
  const groups = value.trim().split(/[\s-]+/).filter(Boolean);
  if (groups.length > 1) return groups;
  const only = groups[0] ?? '';
  if (only.length <= 8) return groups;
  return chunk(only, /^\d+$/.test(only) ? 5 : 4);
}

/** A wire pin (`sha256/<base64>`) in groups of four, so two pins can be compared by eye. */
export function pinGroups(pin: string): string[] {
  const body = pin.startsWith('sha256/') ? pin.slice('sha256/'.length) : pin;
  return chunk(body, 4);
}

export function protocolLabel(protocol: string): string {
  const match = /^TLSv?(\d(?:\.\d)?)$/i.exec(protocol.trim());
  return match ? `TLS ${match[1]}` : protocol;
}

const cipherNames: Record<string, string> = {
  TLS_AES_128_GCM_SHA256: 'AES-128-GCM',
  TLS_AES_256_GCM_SHA384: 'AES-256-GCM',
  TLS_CHACHA20_POLY1305_SHA256: 'ChaCha20-Poly1305',
  TLS_AES_128_CCM_SHA256: 'AES-128-CCM',
  TLS_AES_128_CCM_8_SHA256: 'AES-128-CCM-8',
};

/** `TLS_AES_256_GCM_SHA384` → `AES-256-GCM`: the part that encrypts, which is what people ask about. */
export function cipherLabel(standardName: string): string {
  return cipherNames[standardName] ?? standardName;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Hours and minutes, the way a chat shows a message time. */
export function formatClock(when: string | number): string {
  const date = new Date(when);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(when: string | number): string {
  const date = new Date(when);
  if (Number.isNaN(date.getTime())) return String(when);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
