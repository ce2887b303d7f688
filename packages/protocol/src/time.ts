/**
 * Wire times below this (1e9 s, September 2001) are race-relative: seconds since `t0`, as in the
 * spec's minimal example `{"t": 10.432}`. Above it they are epoch seconds on the organizer clock.
 */
export const RACE_RELATIVE_LIMIT = 1e9;

/**
 * The organizer-clock epoch seconds of a wire time (`pos.t`, `checkpoint.ts`): epoch times pass
 * through, race-relative ones are added to `t0`. Returns `undefined` for a race-relative time
 * when `t0` is not known yet.
 */
export function toEpochSeconds(time: number, t0: number | null | undefined): number | undefined {
  if (time >= RACE_RELATIVE_LIMIT) return time;
  return t0 === null || t0 === undefined ? undefined : t0 + time;
}
