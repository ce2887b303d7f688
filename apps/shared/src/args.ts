import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AppError } from './errors';

/** Parses command-line arguments; unknown or malformed options become a usage {@link AppError}. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (cause) {
    const message =
      cause instanceof Error ? cause.message.replace(/\. To specify.*$/s, '') : String(cause);
    throw new AppError('USAGE', message, { hint: usage, cause });
  }
}

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
