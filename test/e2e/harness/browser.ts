/**
 * Debian's Chromium, headless, driven by playwright-core; one browser context per peer, at a
 * presenter's viewport. Each page's console errors, uncaught errors and CSP violations are kept,
 * so a test can say the app ran cleanly rather than just that its assertions passed.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LOCKSTEP_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A projector's worth of pixels. */
export const PRESENTER_VIEWPORT = { width: 1440, height: 900 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A context for one peer. Never `bypassCSP`: the page must live under the shell's policy. */
export async function newPeerContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: PRESENTER_VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
  // Every step of the story happens in well under a second; a missing element should fail fast.
  context.setDefaultTimeout(15_000);
  return context;
}

export interface PageProblems {
  /** console.error lines, uncaught exceptions and CSP refusals, as text. */
  readonly all: string[];
}

export function watchPage(page: Page, label: string): PageProblems {
  const all: string[] = [];
  page.on('console', (message) => {
    // Chromium asks for /favicon.ico on its own; the app has none and the shell never asks.
    if (/\/favicon\.ico$/.test(message.location().url)) return;
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) all.push(`${label} console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => all.push(`${label} uncaught: ${error.message}`));
  page.on('requestfailed', (request) => all.push(`${label} request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`));
  return { all };
}
