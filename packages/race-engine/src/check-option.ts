import { RaceEngineError } from './errors';

/** An engine option that must be a positive finite number; `INVALID_OPTIONS` otherwise. */
export function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RaceEngineError('INVALID_OPTIONS', `${name} must be a positive number, got ${value}`);
  }
  return value;
}

/** An engine option that must be a non-negative finite number; `INVALID_OPTIONS` otherwise. */
export function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RaceEngineError(
      'INVALID_OPTIONS',
      `${name} must be a non-negative number, got ${value}`,
    );
  }
  return value;
}
