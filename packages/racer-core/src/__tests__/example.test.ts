import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the README example', () => {
  it('runs: two checkpoints reported on the organizer clock, then the final ranking ends it', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.join(' '));
    });
    await import('../../examples/ride-a-line');
    expect(lines[0]).toBe(
      'subscribe to race/demo/state, race/demo/control, race/demo/ranking, race/demo/pong/p1, race/demo/chat',
    );
    expect(lines).toContain('note: START: the race begins when the countdown reaches zero');
    const checkpoints = lines.filter((line) => line.startsWith('checkpoint '));
    // Checkpoint 1 is sent again: the host had not credited it within 2 s.
    expect(checkpoints.map((line) => line.split(' ')[1])).toEqual(['1', '2', '1']);
    // x = 90 (the sphere of checkpoint 1) at 50 m/s, ± half a 60 Hz poll and the clock bound.
    expect(checkpoints[0]).toMatch(/^checkpoint 1 at \+1\.(79|80|81) s ± 0\.01\d s$/);
    expect(lines).toContain('crossings 2/2, awaiting the host: 2');
    expect(lines).toContain('ended: final results are in');
    expect(lines.at(-1)).toBe('awaiting the host: 0');
  });
});
