// Draws the app icon — a padlock with two arrows, one each way: two peers, one locked channel —
// and writes it as PNGs: build/icon.png (1024 px, what electron-builder turns into .icns and
// .ico) and build/icons/NxN.png (the sizes Linux desktops pick from). Plain Node: shapes are
// tested per sample, 4×4 samples a pixel for smooth edges, encoded with zlib.
// Run: node build/icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const SAMPLES = 4;
const WHITE = [255, 255, 255];
const TOP = [43, 89, 195];
const BOTTOM = [20, 52, 128];

/** Distance from p to a rounded rectangle (negative inside). */
function roundRect(x, y, [x0, y0, x1, y1], r) {
  const dx = Math.abs(x - (x0 + x1) / 2) - ((x1 - x0) / 2 - r);
  const dy = Math.abs(y - (y0 + y1) / 2) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - r;
}

/** The shackle: a half ring on two legs, as a stroke of width 0.075. */
function inShackle(x, y) {
  const cx = 0.5, cy = 0.4, r = 0.165, half = 0.0375;
  if (y <= cy) return Math.abs(Math.hypot(x - cx, y - cy) - r) <= half;
  return y <= 0.52 && (Math.abs(x - (cx - r)) <= half || Math.abs(x - (cx + r)) <= half);
}

/** An arrow along y from `from` to `to` (x), shaft and head. */
function inArrow(x, y, cy, from, to) {
  const dir = Math.sign(to - from);
  const headLength = 0.075, headHalf = 0.05, shaftHalf = 0.018;
  const base = to - dir * headLength;
  const along = (x - from) * dir;
  if (along >= 0 && (base - x) * dir >= 0 && Math.abs(y - cy) <= shaftHalf) return true;
  const t = (x - base) * dir;
  return t >= 0 && t <= headLength && Math.abs(y - cy) <= headHalf * (1 - t / headLength);
}

/** Colour and coverage at one sample point (unit square, y down). */
function sample(x, y) {
  if (roundRect(x, y, [0.06, 0.06, 0.94, 0.94], 0.2) > 0) return null;
  const ground = TOP.map((c, i) => c + (BOTTOM[i] - c) * y);
  const inBody = roundRect(x, y, [0.25, 0.47, 0.75, 0.82], 0.06) <= 0;
  if (inBody) return inArrow(x, y, 0.585, 0.33, 0.67) || inArrow(x, y, 0.705, 0.67, 0.33) ? ground : WHITE;
  return inShackle(x, y) ? WHITE : ground;
}

function render(size) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const sum = [0, 0, 0];
      let hits = 0;
      for (let s = 0; s < SAMPLES * SAMPLES; s += 1) {
        const colour = sample((px + ((s % SAMPLES) + 0.5) / SAMPLES) / size, (py + (Math.floor(s / SAMPLES) + 0.5) / SAMPLES) / size);
        if (!colour) continue;
        hits += 1;
        colour.forEach((c, i) => (sum[i] += c));
      }
      const at = (py * size + px) * 4;
      if (hits > 0) sum.forEach((c, i) => (rgba[at + i] = Math.round(c / hits)));
      rgba[at + 3] = Math.round((255 * hits) / (SAMPLES * SAMPLES));
    }
  }
  return png(size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA, 8 bits a channel, filter 0 on every row. */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

writeFileSync(join(here, 'icon.png'), render(1024));
mkdirSync(join(here, 'icons'), { recursive: true });
for (const size of [512, 256, 128, 64, 48, 32, 16]) writeFileSync(join(here, 'icons', `${size}x${size}.png`), render(size));
console.log('wrote build/icon.png and build/icons/*.png');
