import type { ReceivedMessage } from '@gw2race/protocol';
import { quantizeMessage, type ReplayHeader } from '@gw2race/replay-format';
import type { RecordingLayout } from './director-config';

/** Where the last recorded entry sits on the recording's time grid. */
export interface RecordedOrder {
  /** Whole ticks of the recording's time step of the last entry (null before any). */
  readonly lastTick: number | null;
  readonly lastWasPosition: boolean;
}

/** The order before anything is recorded. */
export const EMPTY_RECORDED_ORDER: RecordedOrder = { lastTick: null, lastWasPosition: false };

/** What {@link placeEntry} gives back. */
export interface PlacedEntry {
  readonly order: RecordedOrder;
  /** The entry to record (its receive time adjusted if needed). */
  readonly entry: ReceivedMessage;
  /** The entry as the recording will give it back: what the engine must judge. */
  readonly recorded: ReceivedMessage;
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
export function placeEntry(
  order: RecordedOrder,
  layout: RecordingLayout,
  received: ReceivedMessage,
): PlacedEntry {
  // Whole ticks of the recording's time step, as its reader computes them (integer / timeScale).
  const scale = layout.quantization.timeScale;
  const floor = order.lastTick ?? Number.NEGATIVE_INFINITY;
  if (received.kind === 'pos') {
    const entry: ReceivedMessage =
      received.at * scale >= floor ? received : { ...received, at: floor / scale };
    const recorded = quantizeMessage(entry, layout as ReplayHeader) as ReceivedMessage;
    // Ceil, not round: a position the writer keeps exactly must not sort after what follows it.
    const lastTick = Math.max(floor, Math.ceil(recorded.at * scale - 1e-6));
    return { order: { lastTick, lastWasPosition: true }, entry, recorded };
  }
  let tick = Math.ceil(received.at * scale - 1e-6);
  if (order.lastWasPosition && tick <= floor) tick = floor + 1;
  tick = Math.max(tick, floor);
  const entry = { ...received, at: tick / scale } as ReceivedMessage;
  return { order: { lastTick: tick, lastWasPosition: false }, entry, recorded: entry };
}
