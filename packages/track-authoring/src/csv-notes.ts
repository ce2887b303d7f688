import type { Track } from '@gw2race/protocol';

/** What a Beetlerank CSV cannot say about a track, as notes for the organizer. */
export function csvLosses(track: Track): string[] {
  const notes: string[] = [];
  if (track.mapId !== undefined)
    notes.push(
      `the CSV has no map id: import it again with --map ${track.mapId}, or pass --map when racing it`,
    );
  if (track.circuit)
    notes.push('a circuit: the start is written again as the end (import it with --circuit)');
  if ((track.laps ?? 1) > 1) notes.push(`the CSV does not keep the ${track.laps} laps`);
  const gates = track.checkpoints.filter((cp) => cp.kind === 'gate');
  if (gates.length > 0)
    notes.push(
      `gate${gates.length === 1 ? '' : 's'} ${gates.map((cp) => cp.id).join(', ')} written as spheres (middle, half the width as radius)`,
    );
  const otherMaps = track.checkpoints.filter(
    (cp) => cp.mapId !== undefined && cp.mapId !== track.mapId,
  );
  if (otherMaps.length > 0)
    notes.push(
      `checkpoint${otherMaps.length === 1 ? '' : 's'} ${otherMaps.map((cp) => cp.id).join(', ')} on other maps lose their map`,
    );
  if (track.referenceLine) notes.push('the reference line is not part of the CSV');
  return notes;
}

/**
 * A circuit exported to CSV repeats its start as the `end` row (the format has no circuits);
 * importing it as a circuit drops that row again, so JSON → CSV → JSON gives the same course.
 * `dropped` says whether the last checkpoint was that repeat (within 1 cm, the same radius).
 */
export function withoutRepeatedStart(track: Track): { track: Track; dropped: boolean } {
  const start = track.checkpoints[0];
  const end = track.checkpoints[track.checkpoints.length - 1];
  if (
    track.checkpoints.length < 3 ||
    !start ||
    !end ||
    start.kind === 'gate' ||
    end.kind === 'gate' ||
    Math.hypot(end.x - start.x, end.y - start.y, end.z - start.z) > 0.01 ||
    end.r !== start.r
  )
    return { track, dropped: false };
  return { track: { ...track, checkpoints: track.checkpoints.slice(0, -1) }, dropped: true };
}
