import { describe, expect, it } from 'vitest';

import { contrastRatio, over, parseColor } from './stage-measure';

describe('the stage’s contrast arithmetic', () => {
  it('gives WCAG’s known ratios', () => {
    expect(contrastRatio([0, 0, 0, 1], [255, 255, 255, 1])).toBeCloseTo(21, 5);
    expect(contrastRatio([255, 255, 255, 1], [255, 255, 255, 1])).toBe(1);
    // #767676 on white is the classic 4.54:1 AA limit; #595959 the 7:1 AAA one.
    expect(contrastRatio([0x76, 0x76, 0x76, 1], [255, 255, 255, 1])).toBeCloseTo(4.54, 2);
    expect(contrastRatio([0x59, 0x59, 0x59, 1], [255, 255, 255, 1])).toBeCloseTo(7.0, 1);
  });

  it('reads computed colours and blends a translucent one over its background', () => {
    expect(parseColor('rgb(10, 12, 16)')).toEqual([10, 12, 16, 1]);
    expect(parseColor('rgba(0, 0, 0, 0.5)')).toEqual([0, 0, 0, 0.5]);
    expect(parseColor('color(srgb 1 0 0)')).toBeNull();
    expect(over([0, 0, 0, 0.5], [255, 255, 255, 1])).toEqual([127.5, 127.5, 127.5, 1]);
  });
});
