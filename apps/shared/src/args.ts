import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AppError } from './errors';

/** Where usage text goes (stdout by default; tests pass their own). */
export interface UsageOutput {
  write(text: string): unknown;
}

/**
 * Parses command-line arguments; unknown or malformed options become a one-line usage
 * {@link AppError} (`unknown option --foo; see --help`, exit 2), never the whole usage text.
 * Every command gets `-h`/`--help`: it prints `usage` and returns `undefined` (exit 0).
 *
 * @example
 * const parsed = parseCommandLine(args, { out: { type: 'string' } }, USAGE);
 * if (!parsed) return 0;
 */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
  out: UsageOutput = process.stdout,
) {
  let parsed: ReturnType<
    typeof parseArgs<{
      args: string[];
      options: T & typeof HELP;
      allowPositionals: true;
      strict: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, ...HELP },
      allowPositionals: true,
      strict: true,
    });
  } catch (cause) {
    throw new AppError('USAGE', `${parseErrorText(cause)}; see --help`, { cause });
  }
  if ((parsed.values as { help?: boolean }).help) {
    out.write(`${usage}\n`);
    return undefined;
  }
  return parsed;
}

/** `parseArgs`'s complaint as one short line (`unknown option --foo`), without its advice. */
function parseErrorText(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const unknown = /^Unknown option '([^']+)'/.exec(cause.message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const text = cause.message.replace(/\. To specify.*$/s, '').replace(/\.$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** Reads a numeric option, with a usage error that names it when it is not a number in range. */
export function numberOption(
  value: string | undefined,
  name: string,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  const { min = -Infinity, max = Infinity, integer = false } = range;
  if (
    value.trim() === '' ||
    !Number.isFinite(number) ||
    number < min ||
    number > max ||
    (integer && !Number.isInteger(number))
  ) {
    const bounds = [Number.isFinite(min) ? `≥ ${min}` : '', Number.isFinite(max) ? `≤ ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new AppError(
      'USAGE',
      `--${name} must be ${integer ? 'a whole number' : 'a number'}${bounds ? ` ${bounds}` : ''}, got "${value}"`,
    );
  }
  return number;
}
