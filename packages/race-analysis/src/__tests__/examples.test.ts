import { describe, expect, it, vi } from 'vitest';

describe('the README example', () => {
  it('re-judges a recording and prints its sectors', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      await import('../../examples/rejudge-and-sectors');
    } finally {
      log.mockRestore();
    }
    expect(lines[0]).toBe('judged on the header track; final: false');
    expect(lines[1]).toBe('racer\tS1\tS2\tS3\tlap');
    expect(lines[2]).toBe('ann\t0:03.000*\t0:03.333*\t0:03.333*\t0:09.667');
    expect(lines[3]).toBe('bob\t0:03.600\t0:04.000\t0:04.000\t0:11.600');
    expect(lines[4]).toBe('theoretical best: 0:09.667');
  });
});
