import { quantizeMessage, type ReplayEntry, type ReplayHeader } from '@gw2race/replay-format';

/** Places entries so that a recording gives them back in the order they were judged. */
export interface RecordedOrder {
  /**
   * The entry to record (its receive time adjusted if needed) and the entry as the recording
   * will give it back, which is what the engine must judge.
   */
  place(received: ReplayEntry): { entry: ReplayEntry; recorded: ReplayEntry };
}

/**
 * Readers of a recording order messages by receive time, events before positions on a tie, and
 * give positions back with their receive time rounded to the time step (1 ms by default). A host
 * that judges in arrival order must therefore record receive times that sort the same way: an
 * event is put on the time grid, after a position it follows; nothing is recorded earlier than
 * what came before it. A recorded time is never earlier than the real one by more than half a
 * step; it runs ahead by one step for each position-then-event pair that arrives within the same
 * step, and catches up as soon as messages come slower than that (a race's stream at 10 Hz per
 * racer rarely pushes it more than a few steps ahead; receive times only judge lateness, never a
 * crossing).
 */
export function createRecordedOrder(
  header: Pick<ReplayHeader, 'quantization' | 'origin'>,
): RecordedOrder {
  // Whole ticks of the recording's time step, as its reader computes them (integer / timeScale).
  const scale = header.quantization.timeScale;
  let lastTick = Number.NEGATIVE_INFINITY;
  let lastWasPosition = false;
  return {
    place(received) {
      const floor = lastTick;
      if (received.kind === 'pos') {
        const entry: ReplayEntry =
          received.at * scale >= floor ? received : { ...received, at: floor / scale };
        const recorded = quantizeMessage(entry, header as ReplayHeader);
        // Ceil, not round: a position the writer keeps exactly must not sort after what follows it.
        lastTick = Math.max(floor, Math.ceil(recorded.at * scale - 1e-6));
        lastWasPosition = true;
        return { entry, recorded };
      }
      let tick = Math.ceil(received.at * scale - 1e-6);
      if (lastWasPosition && tick <= floor) tick = floor + 1;
      tick = Math.max(tick, floor);
      const entry: ReplayEntry = { ...received, at: tick / scale };
      lastTick = tick;
      lastWasPosition = false;
      return { entry, recorded: entry };
    },
  };
}
