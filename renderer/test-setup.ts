/**
 * jsdom setup for the renderer's component tests: jest-dom matchers, cleanup between tests, and
 * a stand-in for layout. jsdom lays nothing out (every element is 0×0), so a virtualised list
 * would render no rows at all: give scroll containers a tall viewport and virtual rows a height.
 */
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// Role queries compute styles for every element; in jsdom on a busy two-core CI one test can take
// seconds. These tests assert behaviour, never time, so give them room.
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  document.documentElement.style.fontSize = '';
});

const VIEWPORT = 2400;
const ROW = 40;

// The virtualiser reads its viewport from clientHeight and measures rows with offsetHeight.
const size = (viewport: number, row: number) => ({
  configurable: true,
  get(this: HTMLElement) {
    return this.hasAttribute('data-index') ? row : viewport;
  },
});
Object.defineProperties(HTMLElement.prototype, {
  clientHeight: size(VIEWPORT, ROW),
  offsetHeight: size(VIEWPORT, ROW),
  clientWidth: size(600, 600),
  offsetWidth: size(600, 600),
});

// The virtualiser scrolls with element.scrollTo, which jsdom does not implement.
if (!Element.prototype.scrollTo) Element.prototype.scrollTo = () => {};
