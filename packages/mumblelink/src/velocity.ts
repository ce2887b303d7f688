import type { Vec3 } from './frame';

/** Options of {@link createVelocityEstimator}. */
export interface VelocityOptions {
  /**
   * Span of position changes the velocity is averaged over, ms (default 200). Longer is smoother
   * (polling jitter matters less), shorter follows boosts faster.
   */
  windowMs?: number;
  /**
   * How long the position may stay the same before the avatar counts as stopped, ms (default
   * 250). The game moves the avatar at about 25 Hz, so a 60 Hz poll often sees the same
   * position twice while moving: that alone is not a stop.
   */
  stationaryAfterMs?: number;
  /** The game's position update interval, ms (default 40, about 25 Hz). */
  updateIntervalMs?: number;
  /**
   * A single step faster than this (m/s) is a teleport (waypoint, portal), not motion
   * (default 250): the history restarts and the sample is flagged.
   */
  teleportSpeed?: number;
}

/** What {@link VelocityEstimator.update} reports. */
export interface VelocityEstimate {
  /** Velocity, m/s, in the MumbleLink frame (Y up). */
  readonly velocity: Vec3;
  /** Length of `velocity`, m/s. */
  readonly speed: number;
  /** Speed in the horizontal (X–Z) plane, m/s. */
  readonly horizontalSpeed: number;
  /** False once the position has not changed for `stationaryAfterMs`. */
  readonly moving: boolean;
  /** This update's step was a teleport (the velocity is zero and restarts from here). */
  readonly teleported: boolean;
  /**
   * Estimated time (ms, same clock as the updates) the avatar reached its current position:
   * midway between the last update that saw the old position and the one that saw the new.
   * `null` before the first update.
   */
  readonly positionChangedAt: number | null;
}

/** Turns successive positions with monotonic timestamps into a velocity. */
export interface VelocityEstimator {
  /** Feeds one observed position at `timeMs` (monotonic); returns the current estimate. */
  update(position: Vec3, timeMs: number): VelocityEstimate;
  /** Forgets the history (map change, loading screen, game restart). */
  reset(): void;
}

interface Sample {
  readonly position: Vec3;
  readonly time: number;
}

const ZERO: Vec3 = Object.freeze({ x: 0, y: 0, z: 0 });

/**
 * A velocity estimator built for MumbleLink's timing: the game updates the position at about
 * 25 Hz while the reader polls faster, so it differentiates position *changes* (timed at the
 * midpoint between the polls that bracket them) over a window, instead of successive polls
 * (which would alternate between a double speed and zero).
 */
export function createVelocityEstimator(options: VelocityOptions = {}): VelocityEstimator {
  const windowMs = options.windowMs ?? 200;
  const stationaryAfterMs = options.stationaryAfterMs ?? 250;
  const updateIntervalMs = options.updateIntervalMs ?? 40;
  const teleportSpeed = options.teleportSpeed ?? 250;

  let history: Sample[] = [];
  let lastPosition: Vec3 | null = null;
  let lastObservedAt = 0;
  let estimate: VelocityEstimate = still(null, false);

  function still(positionChangedAt: number | null, teleported: boolean): VelocityEstimate {
    return {
      velocity: ZERO,
      speed: 0,
      horizontalSpeed: 0,
      moving: false,
      teleported,
      positionChangedAt,
    };
  }

  return {
    reset() {
      history = [];
      lastPosition = null;
      estimate = still(null, false);
    },
    update(position, timeMs) {
      if (lastPosition === null) {
        lastPosition = position;
        lastObservedAt = timeMs;
        history = [];
        estimate = still(timeMs, false);
        return estimate;
      }
      if (samePosition(position, lastPosition)) {
        lastObservedAt = timeMs;
        const changedAt = estimate.positionChangedAt ?? timeMs;
        if (estimate.moving && timeMs - changedAt >= stationaryAfterMs) {
          estimate = still(changedAt, false);
        } else if (estimate.teleported) {
          estimate = { ...estimate, teleported: false };
        }
        return estimate;
      }

      const changedAt = (lastObservedAt + timeMs) / 2;
      const previous = history[history.length - 1];
      if (previous === undefined || changedAt - previous.time >= stationaryAfterMs) {
        // Starting from rest: the old position was left at most one game update ago.
        history = [{ position: lastPosition, time: changedAt - updateIntervalMs }];
      }
      const base = history[history.length - 1]!;
      lastPosition = position;
      lastObservedAt = timeMs;
      const stepSeconds = (changedAt - base.time) / 1000;
      if (stepSeconds <= 0) {
        // No time has passed on this clock: keep the previous velocity, adopt the new place.
        history[history.length - 1] = { position, time: base.time };
        return estimate;
      }
      if (distance(position, base.position) / stepSeconds > teleportSpeed) {
        history = [{ position, time: changedAt }];
        estimate = still(changedAt, true);
        return estimate;
      }
      history.push({ position, time: changedAt });
      // Keep the newest sample at or before the window start, so the span covers the window.
      while (history.length > 2 && history[1]!.time <= changedAt - windowMs) history.shift();
      const oldest = history[0]!;
      const seconds = (changedAt - oldest.time) / 1000;
      const velocity = {
        x: (position.x - oldest.position.x) / seconds,
        y: (position.y - oldest.position.y) / seconds,
        z: (position.z - oldest.position.z) / seconds,
      };
      const horizontalSpeed = Math.hypot(velocity.x, velocity.z);
      estimate = {
        velocity,
        speed: Math.hypot(horizontalSpeed, velocity.y),
        horizontalSpeed,
        moving: true,
        teleported: false,
        positionChangedAt: changedAt,
      };
      return estimate;
    },
  };
}

function samePosition(a: Vec3, b: Vec3): boolean {
  return a.x === b.x && a.y === b.y && a.z === b.z;
}

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
}
