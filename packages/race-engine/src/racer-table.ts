/**
 * A persistent array for the engine's racers: chunks of 32, so replacing one racer copies two
 * small arrays (the chunk list and one chunk, 64 pointers for 1,000 racers) instead of the whole
 * array. That keeps `step` pure without copying 1,000 pointers per position message.
 */
export interface RacerTable<T> {
  /** Number of entries. */
  readonly size: number;
  /** The entries, 32 per chunk, in order. */
  readonly chunks: readonly (readonly T[])[];
}

const SHIFT = 5;
const WIDTH = 1 << SHIFT;
const MASK = WIDTH - 1;

/** A table holding `items`, in order. */
export function tableOf<T>(items: readonly T[]): RacerTable<T> {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += WIDTH) chunks.push(items.slice(i, i + WIDTH));
  return { size: items.length, chunks };
}

/** The entry at `index` (undefined past the end). */
export function tableGet<T>(table: RacerTable<T>, index: number): T | undefined {
  return table.chunks[index >>> SHIFT]?.[index & MASK];
}

/** Every entry, in order, as a plain array. */
export function tableToArray<T>(table: RacerTable<T>): T[] {
  const out: T[] = [];
  for (const chunk of table.chunks) for (const item of chunk) out.push(item);
  return out;
}
