/**
 * What the core reads of one game sample: the fields of `@gw2race/mumblelink`'s
 * `MumbleLinkSample` it uses, so a reader's samples go in as they are and the core needs no
 * MumbleLink dependency (a simulator or another telemetry source can produce the same shape).
 */
export interface GameSample {
  /** The decoded block. */
  readonly frame: {
    /** The game's update counter: a new tick is a new sample. */
    readonly tick: number;
    readonly avatar: {
      readonly position: { readonly x: number; readonly y: number; readonly z: number };
    };
    readonly context?: { readonly mapId?: number; readonly mountIndex?: number } | undefined;
  };
  /** Monotonic time of the poll that read it, ms (the same clock as the core's). */
  readonly receivedAt: number;
  /**
   * Monotonic time of the last poll that did not see this tick, ms; `null` for the first block
   * read after the reader started (it may have been written any time before).
   */
  readonly previousPollAt: number | null;
  /** Speed, m/s. */
  readonly speed: number;
}
