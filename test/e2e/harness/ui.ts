/**
 * What a person does and sees, as helpers: pick a name on the first-run screen, read the
 * sequence diagram (virtualised: only rows on screen exist, so it is read by scrolling through
 * it), check accessibility with axe, and keep full-page screenshots for the presenter.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

import { ARTIFACTS } from './paths';

export { ARTIFACTS };

export const UI_WAIT_MS = 15_000;

/**
 * Creating the identity (an ECDSA key and its self-signed certificate written to the profile, then
 * the listener and the LAN advertisement started) is the slowest single step a story waits on; with two engines
 * and Chromium sharing two cores under a full suite run it has taken longer than UI_WAIT_MS.
 */
const FIRST_RUN_WAIT_MS = 30_000;

/** First run: type a display name, create the identity, wait for the identity card. */
export async function completeFirstRun(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { name: 'Welcome to Lockstep' }).waitFor({ timeout: UI_WAIT_MS });
  const field = page.getByLabel('Display name');
  await field.click();
  await field.pressSequentially(name);
  await page.getByRole('button', { name: 'Create identity' }).click();
  await page.getByRole('heading', { name: 'Your identity' }).waitFor({ timeout: FIRST_RUN_WAIT_MS });
}

/** A fingerprint, pin or safety number with its grouping removed, for comparing what is shown with a value. */
export function ungrouped(text: string): string {
  return text.replace(/[\s\u00a0-]+/g, '');
}

/** Text of an element with its whitespace collapsed (grids put line breaks between groups). */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent({ timeout: UI_WAIT_MS })) ?? '').replace(/\s+/g, ' ').trim();
}

/** Poll a locator's text until `test` accepts it; fail with the last text seen. */
export async function waitForText(locator: Locator, test: (text: string) => boolean, what: string, timeoutMs = UI_WAIT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await locator.count()) > 0 ? await textOf(locator.first()) : '(not on the page)';
    if (test(last)) return last;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last text: ${JSON.stringify(last.slice(0, 400))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface DiagramStep {
  /** "Alice to Bob: " / "Bob to Alice: " / "Alice: " as the step button says it to a screen reader. */
  who: string;
  title: string;
  note: string;
}

/** The steps the diagram has on screen now (it renders only those, plus a few either side), in order. */
export async function renderedDiagramSteps(page: Page): Promise<DiagramStep[]> {
  const diagram = page.getByRole('group', { name: 'Sequence diagram' });
  await diagram.waitFor({ timeout: UI_WAIT_MS });
  return diagram.evaluate((element) => {
    type Row = { getAttribute(name: string): string | null; querySelector(selector: string): { textContent: string | null } | null };
    const rows = Array.from((element as unknown as { querySelectorAll(selector: string): ArrayLike<Row> }).querySelectorAll('li.step[data-index]'));
    const text = (row: Row, selector: string) => (row.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
    return rows
      .map((row) => ({ index: Number(row.getAttribute('data-index')), who: text(row, '.sr-only'), title: text(row, '.step-title'), note: text(row, '.step-note') }))
      .sort((a, b) => a.index - b.index)
      .map(({ who, title, note }) => ({ who, title, note }));
  });
}

/**
 * Every step of the visible sequence diagram, top to bottom. The diagram is virtualised, so it
 * is scrolled from the top in steps and each rendered row is read once (by its index). While
 * "Follow new steps" is on, a step that arrives mid-walk (a keep-alive ping) scrolls the diagram
 * to its end; the walk puts the scroll back where it was and goes on, and it repeats until it
 * has read every row index from the first to the last, so a jump can never skip rows unseen.
 */
export async function diagramSteps(page: Page): Promise<DiagramStep[]> {
  const diagram = page.getByRole('group', { name: 'Sequence diagram' });
  await diagram.waitFor({ timeout: UI_WAIT_MS });
  const result = await diagram.evaluate(async (element) => {
    type Li = { getAttribute(name: string): string | null; matches(selector: string): boolean; querySelector(selector: string): { textContent: string | null } | null };
    type El = { scrollTop: number; clientHeight: number; scrollHeight: number; querySelectorAll(selector: string): ArrayLike<Li> };
    const box = element as unknown as El;
    const frame = () => new Promise<void>((resolve) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => resolve()));
    const settle = async () => {
      await frame();
      await frame();
    };
    const seen = new Map<number, { who: string; title: string; note: string } | null>();
    const read = () => {
      const rows = box.querySelectorAll('li[data-index]');
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const index = Number(row.getAttribute('data-index'));
        const text = (selector: string) => (row.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
        // Phase headings are rows too: they count for "every index seen" but are not steps.
        seen.set(index, row.matches('li.step') ? { who: text('.sr-only'), title: text('.step-title'), note: text('.step-note') } : null);
      }
    };
    const firstGap = () => {
      const last = Math.max(-1, ...seen.keys());
      for (let i = 0; i <= last; i++) if (!seen.has(i)) return i;
      return -1;
    };
    const before = box.scrollTop;
    let passes = 0;
    for (; passes < 5; passes++) {
      let target = 0;
      box.scrollTop = target;
      await settle();
      for (let guard = 0; guard < 10_000; guard++) {
        if (Math.abs(box.scrollTop - target) > 1 && target + box.clientHeight < box.scrollHeight - 1) {
          // Something else scrolled (follow mode): go back to where this walk was.
          box.scrollTop = target;
          await settle();
          continue;
        }
        read();
        if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) break;
        target = box.scrollTop + Math.max(40, Math.floor(box.clientHeight * 0.6));
        box.scrollTop = target;
        await settle();
      }
      read();
      if (firstGap() < 0) break;
    }
    box.scrollTop = before;
    const steps = [...seen.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, step]) => (step ? [step] : []));
    return { steps, gap: firstGap(), passes };
  });
  if (result.gap >= 0) throw new Error(`diagramSteps: row ${result.gap} of the sequence diagram was never rendered in ${result.passes} passes`);
  return result.steps;
}

export interface AxeReport {
  /** Violations of impact serious or critical, one line each. */
  blocking: string[];
  /** All violations, one line each (for the log). */
  all: string[];
}

/** Run axe on the page as it is now; print every violation; return the serious and critical ones. */
export async function checkAccessibility(page: Page, screen: string): Promise<AxeReport> {
  const started = Date.now();
  const results = await new AxeBuilder({ page }).analyze();
  const lines = results.violations.map((v) => {
    const targets = v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ');
    return `[${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'}: ${targets})`;
  });
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const detail = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`);
      return `[${v.impact}] ${v.id}: ${v.help}\n    ${detail.join('\n    ')}`;
    });
  console.log(`axe on "${screen}" (${Date.now() - started} ms): ${results.violations.length === 0 ? 'no violations' : `\n  ${lines.join('\n  ')}`}`);
  return { blocking, all: lines };
}

/** Fails on the serious and critical findings of a checkAccessibility() report. */
export function expectNoBlockingViolations(report: { blocking: string[] }): void {
  expect(report.blocking, `serious/critical axe violations:\n${report.blocking.join('\n')}`).toEqual([]);
}

/** A full-page PNG in test-artifacts/, named for the step it shows. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  const started = Date.now();
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  console.log(`screenshot ${name}.png (${Date.now() - started} ms)`);
  return path;
}
