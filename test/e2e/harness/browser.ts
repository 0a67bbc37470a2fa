/**
 * What a page did wrong, kept while a story runs: console errors, uncaught errors, CSP
 * violations and failed requests, so a test can say the app ran cleanly rather than just that
 * its assertions passed.
 */
import type { Page } from 'playwright-core';

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
