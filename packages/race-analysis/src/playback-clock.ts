/**
 * The replay's clock, as a value: where playback is, whether it runs and how fast. Pure: every
 * function takes the current reading of a monotonic clock (`now`, ms: `performance.now()` in the
 * app, a number in tests) and returns a new state, so the player is tested without waiting.
 */

/** Playback speeds offered (the spec's 0.25x to 4x). */
export const PLAYBACK_SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

/** A playback speed. */
export type PlaybackSpeed = (typeof PLAYBACK_SPEEDS)[number];

/** The state of playback. Times are race-time milliseconds. */
export interface Playback {
  /** The range that can be played. */
  readonly startMs: number;
  readonly endMs: number;
  readonly playing: boolean;
  readonly speed: PlaybackSpeed;
  /** Race time at `anchorNow`. */
  readonly anchorMs: number;
  /** Monotonic clock reading (ms) when `anchorMs` was current. */
  readonly anchorNow: number;
}

const clamp = (ms: number, p: Playback) => Math.min(Math.max(ms, p.startMs), p.endMs);

/** A paused playback at the start of `[startMs, endMs]`. */
export function createPlayback(startMs: number, endMs: number, now: number): Playback {
  const end = Math.max(endMs, startMs);
  return { startMs, endMs: end, playing: false, speed: 1, anchorMs: startMs, anchorNow: now };
}

/** Race time (ms) shown at monotonic instant `now`. */
export function playbackTime(p: Playback, now: number): number {
  return p.playing ? clamp(p.anchorMs + (now - p.anchorNow) * p.speed, p) : p.anchorMs;
}

/** True when playback has reached the end (it then stops by itself: see {@link settle}). */
export function playbackAtEnd(p: Playback, now: number): boolean {
  return playbackTime(p, now) >= p.endMs;
}

/** Stops a playback that has reached the end, so the play button shows play again. */
export function settlePlayback(p: Playback, now: number): Playback {
  return p.playing && playbackAtEnd(p, now)
    ? { ...p, playing: false, anchorMs: p.endMs, anchorNow: now }
    : p;
}

/** Plays from where it is; from the start when it was at the end. */
export function playPlayback(p: Playback, now: number): Playback {
  const at = playbackTime(p, now);
  return { ...p, playing: true, anchorMs: at >= p.endMs ? p.startMs : at, anchorNow: now };
}

/** Pauses where it is. */
export function pausePlayback(p: Playback, now: number): Playback {
  return { ...p, playing: false, anchorMs: playbackTime(p, now), anchorNow: now };
}

/** Play or pause. */
export function togglePlayback(p: Playback, now: number): Playback {
  return p.playing ? pausePlayback(p, now) : playPlayback(p, now);
}

/** Stop: paused, back at the start. */
export function stopPlayback(p: Playback, now: number): Playback {
  return { ...p, playing: false, anchorMs: p.startMs, anchorNow: now };
}

/** Jumps to a race time (clamped to the range); keeps playing if it was. */
export function seekPlayback(p: Playback, ms: number, now: number): Playback {
  return { ...p, anchorMs: clamp(ms, p), anchorNow: now };
}

/** Jumps by `deltaMs` from where it is (negative: back). */
export function skipPlayback(p: Playback, deltaMs: number, now: number): Playback {
  return seekPlayback(p, playbackTime(p, now) + deltaMs, now);
}

/** Changes the speed without a jump. */
export function setPlaybackSpeed(p: Playback, speed: PlaybackSpeed, now: number): Playback {
  return { ...p, speed, anchorMs: playbackTime(p, now), anchorNow: now };
}

/** The next speed up (`+1`) or down (`-1`) from the current one, staying within {@link PLAYBACK_SPEEDS}. */
export function stepPlaybackSpeed(p: Playback, direction: 1 | -1, now: number): Playback {
  const i = PLAYBACK_SPEEDS.indexOf(p.speed);
  const next = PLAYBACK_SPEEDS[
    Math.min(Math.max(i + direction, 0), PLAYBACK_SPEEDS.length - 1)
  ] as PlaybackSpeed;
  return setPlaybackSpeed(p, next, now);
}

/** Widens the range (a live recording that grew); playback position is kept. */
export function extendPlayback(p: Playback, endMs: number, now: number): Playback {
  const at = playbackTime(p, now);
  return { ...p, endMs: Math.max(endMs, p.startMs), anchorMs: at, anchorNow: now };
}

/** Parses a speed from text (`"2"`, `"0.25x"`); `undefined` when it is not one we offer. */
export function parsePlaybackSpeed(text: string | null | undefined): PlaybackSpeed | undefined {
  if (!text) return undefined;
  const value = Number(text.replace(/x$/i, ''));
  return PLAYBACK_SPEEDS.find((s) => s === value);
}
