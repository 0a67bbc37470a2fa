import { describe, expect, it } from 'vitest';

import { terminalText } from './output';

describe('terminalText', () => {
  it('writes every C0/C1 control, DEL and direction override as its code, so no escape sequence runs', () => {
    expect(terminalText('\u001b[2J\u001b]0;x\u0007\u009b1m\u007f\u0000')).toBe('\\x1b[2J\\x1b]0;x\\x07\\x9b1m\\x7f\\x00');
    expect(terminalText('a\r\nb\tc')).toBe('a\\r\\nb\\tc');
    expect(terminalText('\u202eboB\u2066\u2028')).toBe('\\u202eboB\\u2066\\u2028');
  });

  it('keeps line breaks only when asked (our own multi-line sentences), never a carriage return', () => {
    expect(terminalText('one\ntwo\r', { keepNewlines: true })).toBe('one\ntwo\\r');
  });

  it('leaves ordinary text alone, accents, scripts and emoji included', () => {
    for (const text of ['Zoë ✓ — "quoted" \\ back', 'Алиса', '👩‍💻']) expect(terminalText(text)).toBe(text);
  });
});
