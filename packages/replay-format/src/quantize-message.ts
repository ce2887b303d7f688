import { dequantizePosition, type QuantizationFrame, quantizePosition } from './position-line';
import type { ReplayEntry } from './replay-entry';

/**
 * The message as a reader of the recording will give it back: positions rounded to the
 * quantization (`t` and `at` to the time step, x/y/z to the position step, `v` to the speed
 * step), everything else unchanged. A host that feeds its race engine these instead of the raw
 * messages gives it the same values live as a re-judgement of the recording will (messages
 * received within the same millisecond may come back in another order: see the README).
 * (Positions the writer must store exactly, and every position when the writer was created with
 * `compactPositions: false`, come back unchanged; so does a position whose topic player id is
 * present when the first position of its member had none, or the reverse.)
 *
 * @example
 * const recorded = quantizeMessage(received, writer.header);
 * engine.step(recorded);
 * writer.append(received);
 */
export function quantizeMessage<T extends ReplayEntry>(entry: T, frame: QuantizationFrame): T {
  if (entry.kind !== 'pos') return entry;
  const sample = quantizePosition(entry, frame);
  if (!sample) return entry;
  return dequantizePosition(
    entry.message.playerId,
    sample,
    frame,
    entry.playerId !== undefined,
  ) as T;
}
