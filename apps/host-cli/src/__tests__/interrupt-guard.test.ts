import { describe, expect, it } from 'vitest';
import { createInterruptGuard } from '../host/interrupt-guard';

describe('Ctrl-C on the host', () => {
  it('asks first mid-race: a second press within 3 s ends the race, a later one asks again', () => {
    let t = 100;
    const guard = createInterruptGuard(() => t);
    expect(guard.press(true)).toBe('confirm');
    t += 2.9;
    expect(guard.press(true)).toBe('end');
    const late = createInterruptGuard(() => t);
    expect(late.press(true)).toBe('confirm');
    t += 3.5;
    expect(late.press(true)).toBe('confirm');
    t += 1;
    expect(late.press(true)).toBe('end');
  });

  it('ends at once before the start and after the end', () => {
    const guard = createInterruptGuard(() => 0);
    expect(guard.press(false)).toBe('end');
  });
});
