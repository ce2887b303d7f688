/** A claim about the offset: the true value lies in `[offsetMs − boundMs, offsetMs + boundMs]`. */
export interface OffsetInterval {
  readonly offsetMs: number;
  readonly boundMs: number;
}

/** The result of {@link selectTruechimers}. */
export interface TruechimerSelection {
  /** Indices of the intervals that contain the agreed region (the truechimers). */
  readonly truechimers: readonly number[];
  /** Indices of the others (falsetickers). */
  readonly falsetickers: readonly number[];
  /** The region most intervals agree on, ms. */
  readonly lowMs: number;
  /** Its upper end, ms. */
  readonly highMs: number;
}

/**
 * Marzullo's intersection algorithm, as NTP uses it to pick servers (RFC 5905 §11.2.1): finds
 * the region covered by the most intervals; the intervals covering it are truechimers. Returns
 * `undefined` when fewer than a strict majority agree: then nobody can tell who is right.
 *
 * @example
 * selectTruechimers([
 *   { offsetMs: 10, boundMs: 5 },
 *   { offsetMs: 12, boundMs: 5 },
 *   { offsetMs: 900, boundMs: 5 }, // a server off by almost a second
 * ]); // { truechimers: [0, 1], falsetickers: [2], lowMs: 7, highMs: 15 }
 */
export function selectTruechimers(
  intervals: readonly OffsetInterval[],
): TruechimerSelection | undefined {
  if (intervals.length === 0) return undefined;
  const edges: { at: number; step: 1 | -1 }[] = [];
  for (const { offsetMs, boundMs } of intervals) {
    if (!Number.isFinite(offsetMs) || !(boundMs >= 0)) continue;
    edges.push({ at: offsetMs - boundMs, step: 1 }, { at: offsetMs + boundMs, step: -1 });
  }
  // Starts before ends at the same point, so touching intervals count as agreeing.
  edges.sort((a, b) => a.at - b.at || b.step - a.step);
  let depth = 0;
  let best = 0;
  let lowMs = 0;
  let highMs = 0;
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i]!;
    depth += edge.step;
    if (edge.step === 1 && depth > best) {
      best = depth;
      lowMs = edge.at;
      highMs = edges[i + 1]?.at ?? edge.at;
    }
  }
  if (best * 2 <= intervals.length) return undefined;
  const truechimers: number[] = [];
  const falsetickers: number[] = [];
  intervals.forEach(({ offsetMs, boundMs }, index) => {
    const inside = offsetMs - boundMs <= lowMs && offsetMs + boundMs >= highMs;
    (inside ? truechimers : falsetickers).push(index);
  });
  return { truechimers, falsetickers, lowMs, highMs };
}
