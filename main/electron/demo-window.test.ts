import { describe, expect, it } from 'vitest';

import { demoWindowBounds } from './demo-window';

describe('demoWindowBounds', () => {
  it('splits the work area into two halves that touch and do not overlap', () => {
    const area = { x: 0, y: 24, width: 1921, height: 1056 };
    const left = demoWindowBounds(area, 'left');
    const right = demoWindowBounds(area, 'right');
    expect(left).toEqual({ x: 0, y: 24, width: 960, height: 1056 });
    expect(right.x).toBe(left.x + left.width);
    expect(right.width).toBe(left.width);
  });

  it('follows a work area that does not start at the origin (a second display)', () => {
    expect(demoWindowBounds({ x: 1920, y: 0, width: 1280, height: 800 }, 'right')).toEqual({ x: 2560, y: 0, width: 640, height: 800 });
  });
});
