/**
 * Race time as people read it: `m:ss.mmm` (`h:mm:ss.mmm` past an hour), with a minus sign
 * before the start. `digits` is the number of decimals (0–3).
 *
 * @example formatRaceTime(62.3456) // '1:02.346'
 */
export function formatRaceTime(seconds: number | null | undefined, digits = 3): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const sign = seconds < 0 ? '-' : '';
  const unit = 10 ** digits;
  // Round once, on the integer count of the last digit, so 59.9996 becomes 1:00.000, not 0:60.000.
  const ticks = Math.round(Math.abs(seconds) * unit);
  const whole = Math.floor(ticks / unit);
  const fraction = ticks % unit;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const tail = digits > 0 ? `.${String(fraction).padStart(digits, '0')}` : '';
  const ss = String(s).padStart(2, '0');
  return h > 0
    ? `${sign}${h}:${String(m).padStart(2, '0')}:${ss}${tail}`
    : `${sign}${m}:${ss}${tail}`;
}

/** A gap or a delta with its sign: `+1.234`, `-0.050`, `+1:02.500` past a minute. */
export function formatGap(seconds: number | null | undefined, digits = 3): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return abs >= 60 ? `${sign}${formatRaceTime(abs, digits)}` : `${sign}${abs.toFixed(digits)}`;
}

/** Bytes for people: `512 B`, `12.3 kB`, `4.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** What the replay's time display shows: where playback is, and how long the recording is. */
export interface ReplayTimeText {
  /** Race time of the instant shown (negative before the start). */
  readonly raceTime: string;
  /** Time played since the start of the recording. */
  readonly elapsed: string;
  /** The recording's total duration (end − start of its timeline). */
  readonly total: string;
}

/**
 * The replay's time display at race time `ms` of a recording whose timeline runs from `startMs`
 * to `endMs` (race-time ms): the current race time, and played / total duration.
 *
 * @example replayTimeText(6000, -3000, 25000) // { raceTime: '0:06.000', elapsed: '0:09.000', total: '0:28.000' }
 */
export function replayTimeText(ms: number, startMs: number, endMs: number): ReplayTimeText {
  return {
    raceTime: formatRaceTime(ms / 1000),
    elapsed: formatRaceTime(Math.max(0, ms - startMs) / 1000),
    total: formatRaceTime(Math.max(0, endMs - startMs) / 1000),
  };
}
