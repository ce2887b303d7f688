import type { Track, TrackCheckpoint } from '@gw2race/protocol';

/** One leg of the course: from a checkpoint to the next. */
export interface TrackLeg {
  readonly from: number;
  readonly to: number;
  /** Straight-line metres between the centres; undefined when they are on different maps. */
  readonly metres: number | undefined;
}

/** What `track show` tells about a track. */
export interface TrackSummary {
  readonly checkpoints: number;
  /** The legs of one lap, in course order (on a circuit, the last one goes back to the start). */
  readonly legs: readonly TrackLeg[];
  /** Sum of the legs whose length is known, metres. */
  readonly lapLength: number;
  /** True when some leg crosses maps (its length is unknown). */
  readonly crossesMaps: boolean;
  /** Every map id the track uses, the track's first. */
  readonly maps: readonly number[];
  readonly resets: number;
  readonly referenceLine:
    | { readonly points: number; readonly seconds: number; readonly metres: number }
    | undefined;
}

/** Middle of a checkpoint: a sphere's centre or a gate's middle at the lower pole's base. */
export function checkpointCentre(cp: TrackCheckpoint): { x: number; y: number; z: number } {
  if (cp.kind === 'gate')
    return { x: (cp.a.x + cp.b.x) / 2, y: Math.min(cp.a.y, cp.b.y), z: (cp.a.z + cp.b.z) / 2 };
  return { x: cp.x, y: cp.y, z: cp.z };
}

/** Reach of a checkpoint: a sphere's radius or half a gate's width, metres. */
export function checkpointReach(cp: TrackCheckpoint): number {
  return cp.kind === 'gate' ? Math.hypot(cp.b.x - cp.a.x, cp.b.z - cp.a.z) / 2 : cp.r;
}

/** Legs, lengths and maps of a track. */
export function summarizeTrack(track: Track): TrackSummary {
  const cps = track.checkpoints;
  const course = track.circuit ? [...cps, cps[0] as TrackCheckpoint] : cps;
  const mapOf = (cp: TrackCheckpoint) => cp.mapId ?? track.mapId;
  const legs: TrackLeg[] = [];
  for (let i = 1; i < course.length; i++) {
    const a = course[i - 1] as TrackCheckpoint;
    const b = course[i] as TrackCheckpoint;
    const ma = mapOf(a);
    const mb = mapOf(b);
    const p = checkpointCentre(a);
    const q = checkpointCentre(b);
    legs.push({
      from: a.id,
      to: b.id,
      metres:
        ma !== undefined && mb !== undefined && ma !== mb
          ? undefined
          : Math.hypot(q.x - p.x, q.y - p.y, q.z - p.z),
    });
  }
  const maps = [
    ...new Set(
      [track.mapId, ...cps.map((cp) => cp.mapId)].filter((m): m is number => m !== undefined),
    ),
  ];
  const line = track.referenceLine;
  let referenceLine: TrackSummary['referenceLine'];
  if (line && line.length > 0) {
    let metres = 0;
    for (let i = 1; i < line.length; i++) {
      const [, x1, y1, z1] = line[i - 1] as [number, number, number, number];
      const [, x2, y2, z2] = line[i] as [number, number, number, number];
      metres += Math.hypot(x2 - x1, y2 - y1, z2 - z1);
    }
    const seconds =
      (line[line.length - 1] as [number, number, number, number])[0] -
      (line[0] as [number, number, number, number])[0];
    referenceLine = { points: line.length, seconds, metres };
  }
  return {
    checkpoints: cps.length,
    legs,
    lapLength: legs.reduce((sum, leg) => sum + (leg.metres ?? 0), 0),
    crossesMaps: legs.some((leg) => leg.metres === undefined),
    maps,
    resets: track.resets?.length ?? 0,
    referenceLine,
  };
}
