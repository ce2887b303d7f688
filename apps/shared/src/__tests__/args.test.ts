import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../args';
import { isAppError } from '../errors';

const USAGE = 'Usage: tool [options]\n  --out DIR   where things go\n  -h, --help';
const OPTIONS = { out: { type: 'string' }, yes: { type: 'boolean', short: 'y' } } as const;

/** The usage error `parseCommandLine` throws for `args`. */
function usageError(args: string[]) {
  try {
    parseCommandLine(args, OPTIONS, USAGE, { write: () => undefined });
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error(`no error for ${args.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('answers an unknown option with one line and the usage exit code, not the usage text', () => {
    const error = usageError(['--foo']);
    expect(error.message).toBe('unknown option --foo; see --help');
    expect(error.hint).toBeUndefined();
    expect(error.code).toBe('USAGE');
    expect(error.exitCode).toBe(2);
    expect(usageError(['-x']).message).toBe('unknown option -x; see --help');
  });

  it('says so in one line when an option lacks its value', () => {
    const error = usageError(['--out']);
    expect(error.message).toMatch(/^option '--out <value>' argument missing; see --help$/);
    expect(error.hint).toBeUndefined();
    expect(error.exitCode).toBe(2);
  });

  it('prints the usage for --help and returns undefined; parses good options', () => {
    const written: string[] = [];
    expect(parseCommandLine(['--help'], OPTIONS, USAGE, { write: (t) => written.push(t) })).toBe(
      undefined,
    );
    expect(written).toEqual([`${USAGE}\n`]);
    const parsed = parseCommandLine(['--out', 'dir', '-y', 'pos'], OPTIONS, USAGE);
    expect(parsed?.values).toEqual({ out: 'dir', yes: true });
    expect(parsed?.positionals).toEqual(['pos']);
  });
});
