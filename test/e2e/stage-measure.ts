/**
 * The stage's own room test: every piece of text on screen, its computed size and its contrast
 * against the colour actually behind it (the nearest ancestor with an opaque background), as
 * Chromium laid it out. Complements axe, which checks contrast but not a minimum size.
 */
import type { Page } from 'playwright-core';

export type Rgba = [number, number, number, number];

/** `rgb(1, 2, 3)` / `rgba(1, 2, 3, 0.5)` → [1, 2, 3, 0.5]. */
export function parseColor(css: string): Rgba | null {
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+))?\s*\)$/.exec(css.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

function luminance([r, g, b]: Rgba): number {
  const f = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/** WCAG 2 contrast ratio of two opaque colours (1 … 21). */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A colour with alpha over an opaque background. */
export function over(fg: Rgba, bg: Rgba): Rgba {
  const a = fg[3];
  return [fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a), 1];
}

export interface TextSample {
  text: string;
  where: string;
  fontPx: number;
  color: string;
  background: string;
}

export interface TextMeasure {
  samples: number;
  smallestPx: number;
  lowestContrast: number;
  /** One line per piece of text under the minimum size or contrast. */
  failures: string[];
}

/** Read every visible text run in `main.stage` (text nodes with letters, in elements larger than 1×1 px). */
async function sampleText(page: Page): Promise<TextSample[]> {
  return page.evaluate(() => {
    type El = {
      tagName: string;
      className: unknown;
      parentElement: El | null;
      getClientRects(): ArrayLike<unknown>;
      getBoundingClientRect(): { width: number; height: number };
      childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
    };
    const g = globalThis as unknown as {
      document: { querySelector(s: string): El | null; createTreeWalker(root: El, what: number): { nextNode(): El | null } };
      getComputedStyle(e: El): { color: string; backgroundColor: string; fontSize: string; visibility: string; opacity: string };
    };
    const root = g.document.querySelector('main.stage');
    if (!root) return [];
    const backgroundOf = (e: El | null): string => {
      for (let n = e; n; n = n.parentElement) {
        const bg = g.getComputedStyle(n).backgroundColor;
        if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const out: { text: string; where: string; fontPx: number; color: string; background: string }[] = [];
    const walker = g.document.createTreeWalker(root, 1);
    for (let e: El | null = root; e; e = walker.nextNode()) {
      const own = Array.from(e.childNodes).filter((n) => n.nodeType === 3 && /[\p{L}\p{N}]/u.test(n.textContent ?? '')).map((n) => n.textContent!.trim());
      if (own.length === 0) continue;
      const box = e.getBoundingClientRect();
      if (e.getClientRects().length === 0 || box.width <= 1 || box.height <= 1) continue;
      const style = g.getComputedStyle(e);
      if (style.visibility === 'hidden' || style.opacity === '0') continue;
      out.push({ text: own.join(' ').slice(0, 40), where: `${e.tagName.toLowerCase()}.${String(e.className).split(' ').join('.')}`, fontPx: Number.parseFloat(style.fontSize), color: style.color, background: backgroundOf(e) });
    }
    return out;
  });
}

export async function measureText(page: Page, limits: { minPx: number; minContrast: number }): Promise<TextMeasure> {
  const samples = await sampleText(page);
  const failures: string[] = [];
  let smallestPx = Infinity;
  let lowestContrast = Infinity;
  for (const s of samples) {
    const fg = parseColor(s.color);
    const bg = parseColor(s.background);
    if (!fg || !bg) {
      failures.push(`unreadable colour ${s.color} on ${s.background}: "${s.text}" (${s.where})`);
      continue;
    }
    const ratio = contrastRatio(over(fg, bg), bg);
    smallestPx = Math.min(smallestPx, s.fontPx);
    lowestContrast = Math.min(lowestContrast, ratio);
    // A tenth of a pixel of slack: 2.78vh at 1080 lines is 30.02 px, rounded by the engine.
    if (s.fontPx < limits.minPx - 0.1) failures.push(`${s.fontPx.toFixed(1)} px < ${limits.minPx.toFixed(1)} px: "${s.text}" (${s.where})`);
    if (ratio < limits.minContrast) failures.push(`contrast ${ratio.toFixed(2)} < ${limits.minContrast}: "${s.text}" ${s.color} on ${s.background} (${s.where})`);
  }
  return { samples: samples.length, smallestPx, lowestContrast, failures };
}
