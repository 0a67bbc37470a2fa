/**
 * The stage's story as steps on a Playwright `Page`, independent of how the page was started
 * (today's bound-engine harness, or the shell's own main bundle and preload): everything here
 * reads and drives the stage through the DOM and the keyboard only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

import { measureText, type TextMeasure } from './stage-measure';

/** The projector sizes the stage is made for. */
export const PROJECTOR_SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

/** The renderer docs' numbers (renderer/styles/stage.css): 1em = max(20 px, 2.78 % of the height); text ≥ 7:1. */
export const MIN_CONTRAST = 7;
export function minFontPx(height: number): number {
  return Math.max(20, 0.0278 * height);
}

const WAIT_MS = 20_000;

export interface BeatOnScreen {
  lane: 'self' | 'wire' | 'eve' | 'peer' | '?';
  title: string;
  note: string;
  /** "Step 12 of 40" → 12 (0 before the first). */
  step: number;
  total: number;
  scene: string;
}

/** The beat on screen, the progress line and the scene's title, as the room reads them. */
export async function beatOnScreen(page: Page): Promise<BeatOnScreen> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { className: string; textContent: string | null; querySelector(s: string): { textContent: string | null } | null } | null } }).document;
    const text = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
    const progress = text(doc.querySelector('[data-testid="stage-progress"]')?.textContent);
    const match = /^Step (\d+) of (\d+)/.exec(progress);
    const current = doc.querySelector('.beat.is-current');
    const lane = /\blane-(self|wire|eve|peer)\b/.exec(current?.className ?? '')?.[1] ?? '?';
    return {
      lane: lane as BeatOnScreen['lane'],
      title: text(current?.querySelector('.beat-title')?.textContent),
      note: text(current?.querySelector('.beat-note')?.textContent),
      step: match ? Number(match[1]) : 0,
      total: match ? Number(match[2]) : 0,
      scene: text(doc.querySelector('.stage-head h1')?.textContent),
    };
  });
}

export async function waitForStage(page: Page): Promise<void> {
  await page.getByRole('main', { name: 'Stage' }).waitFor({ timeout: WAIT_MS });
}

/**
 * Press `key` until the beat on screen passes `test`, recording every beat passed. At the end of
 * the story it waits for the next beat to arrive (the connection is live) until the deadline.
 */
export async function pressUntil(page: Page, key: string, test: (beat: BeatOnScreen) => boolean, what: string, timeoutMs = WAIT_MS): Promise<BeatOnScreen[]> {
  const seen: BeatOnScreen[] = [];
  const deadline = Date.now() + timeoutMs;
  let beat = await beatOnScreen(page);
  for (;;) {
    if (beat.step > 0 && (seen.length === 0 || seen[seen.length - 1]!.step !== beat.step)) seen.push(beat);
    if (beat.step > 0 && test(beat)) return seen;
    if (Date.now() > deadline) {
      const trail = seen.slice(-15).map((b) => `${b.step}/${b.total} [${b.lane}] ${b.title} — ${b.note}`);
      throw new Error(`Timed out pressing ${key} until ${what}; last beats:\n  ${trail.join('\n  ')}`);
    }
    const before = beat.step;
    await page.keyboard.press(key);
    beat = await beatOnScreen(page);
    if (beat.step === before) {
      await page.waitForTimeout(100);
      beat = await beatOnScreen(page);
    }
  }
}

/** `needles` appear among `titles` in this order. */
export function missingInOrder(titles: readonly string[], needles: readonly string[]): string | null {
  let from = 0;
  for (const needle of needles) {
    const at = titles.findIndex((t, i) => i >= from && t === needle);
    if (at < 0) return `"${needle}" not found after position ${from} in: ${titles.join(' | ')}`;
    from = at + 1;
  }
  return null;
}

/** M, the text, Enter, Escape: a message from the stage, keyboard only. */
export async function sendFromStage(page: Page, text: string): Promise<void> {
  await page.keyboard.press('m');
  const field = page.getByRole('group', { name: /^Message to / }).getByRole('textbox', { name: 'Message' });
  await field.waitFor({ timeout: WAIT_MS });
  await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'message-input');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => ((globalThis as unknown as { document: { getElementById(id: string): { value: string } | null } }).document.getElementById('message-input')?.value ?? 'x') === '', undefined, { timeout: WAIT_MS });
  await page.keyboard.press('Escape');
}

/** A drill's key, then its status line. */
export async function pressDrill(page: Page, key: string, status: RegExp): Promise<void> {
  await page.keyboard.press(key);
  await page.getByRole('status').filter({ hasText: status }).waitFor({ timeout: WAIT_MS });
}

export interface Audit {
  axe: string[];
  aaa: string[];
  measured: TextMeasure;
}

/** axe (serious and critical), axe's AAA contrast rule, and every text element measured. */
export async function auditStage(page: Page, height: number): Promise<Audit> {
  const results = await new AxeBuilder({ page }).analyze();
  const axe = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `[${v.impact}] ${v.id}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join(' | ')}`);
  const enhanced = await new AxeBuilder({ page }).withRules(['color-contrast-enhanced']).analyze();
  const aaa = enhanced.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`));
  const measured = await measureText(page, { minPx: minFontPx(height), minContrast: MIN_CONTRAST });
  return { axe, aaa, measured };
}

/** Wait until the beat on screen is wholly inside the lanes' scroll box (scrolling may be smooth). */
export async function currentInView(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    type Box = { top: number; bottom: number };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { getBoundingClientRect(): Box } | null } }).document;
    const beat = doc.querySelector('.beat.is-current');
    const list = doc.querySelector('ol.beats');
    if (!beat || !list) return true;
    const b = beat.getBoundingClientRect();
    const l = list.getBoundingClientRect();
    return b.top >= l.top - 1 && b.bottom <= l.bottom + 1;
  }, undefined, { timeout: 5_000 });
}

/**
 * The stage at both projector sizes: a screenshot of each into test-artifacts/, and the audit
 * of each. The window goes back to its first size afterwards.
 */
export async function atBothSizes(page: Page, dir: string, name: string): Promise<{ size: string; audit: Audit; path: string }[]> {
  mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  const out: { size: string; audit: Audit; path: string }[] = [];
  for (const size of PROJECTOR_SIZES) {
    await page.setViewportSize(size);
    // Two frames: the vh-based type re-lays out, then the current beat scrolls into view.
    await page.evaluate(() => {
      const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
      return new Promise<void>((resolve) => raf(() => raf(() => resolve())));
    });
    await currentInView(page);
    const path = join(dir, `${name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path, animations: 'disabled' });
    out.push({ size: `${size.width}×${size.height}`, audit: await auditStage(page, size.height), path });
  }
  if (before) await page.setViewportSize(before);
  return out;
}
