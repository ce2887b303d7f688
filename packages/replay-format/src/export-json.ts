import { toEpochSeconds } from '@gw2race/protocol';
import type { ExportOptions, ExportSource } from './export-csv';
import type { ReplayEntry } from './replay-entry';
import type { ReplayHeader } from './replay-header';

/** One racer's positions, column by column (`null` where a sample lacks the value). */
export interface JsonExportTrack {
  /**
   * When the game produced each position (epoch s): a race-relative `t` (below 1e9 s) is
   * counted from t0, or left as sent while t0 is unknown.
   */
  readonly t: number[];
  /** When the host received it (epoch s). */
  readonly at: number[];
  readonly x: number[];
  readonly y: number[];
  readonly z: number[];
  readonly v: (number | null)[];
  readonly mapId: (number | null)[];
  readonly mount: (number | null)[];
  /** The client's game frame counter (`pos.tick`). */
  readonly tick: (number | null)[];
  /** The client's sequence number (`pos.seq`). */
  readonly seq: (number | null)[];
  /** The sender's ± on `t`, in seconds (`pos.u`). */
  readonly u: (number | null)[];
  /** The sample's signature (`pos.sig`). */
  readonly sig: (string | null)[];
}

/** The document {@link encodeJsonExport} produces. */
export interface JsonExport {
  readonly format: 'gw2race-replay-export';
  readonly version: 1;
  readonly header: ReplayHeader | null;
  /** The start instant used (epoch s), or null. */
  readonly t0: number | null;
  /** Every message except positions, in order. */
  readonly events: ReplayEntry[];
  /** Positions by player, columnar: easy to load in pandas, R or a spreadsheet. */
  readonly tracks: Record<string, JsonExportTrack>;
}

/** Options of {@link encodeJsonExport}. */
export interface JsonExportOptions extends ExportOptions {
  /** The header to include (from `readReplay(...).header()` or `Replay.header`). */
  readonly header?: ReplayHeader | null;
}

/**
 * A JSON document of a recording: the header, every non-position message, and positions as one
 * columnar track per racer. Held in memory: for very long races prefer the CSV exports.
 *
 * @example
 * const json = await encodeJsonExport(replay.messages(), { header: replay.header, t0: replay.t0 });
 */
export async function encodeJsonExport(
  entries: ExportSource,
  options: JsonExportOptions = {},
): Promise<string> {
  let t0 = options.t0 === undefined ? (options.header?.t0 ?? null) : options.t0;
  const events: ReplayEntry[] = [];
  const tracks: Record<string, JsonExportTrack> = {};
  for await (const entry of entries) {
    if (entry.kind !== 'pos') {
      events.push(entry);
      if (options.t0 === undefined) {
        if (entry.kind === 'state' && typeof entry.message.t0 === 'number') t0 = entry.message.t0;
        if (
          entry.kind === 'control' &&
          (entry.message.cmd === 'START' || entry.message.cmd === 'RESUME') &&
          typeof entry.message.t0 === 'number'
        ) {
          t0 = entry.message.t0;
        }
      }
      continue;
    }
    const m = entry.message;
    let track = tracks[m.playerId];
    if (!track) {
      track = {
        t: [],
        at: [],
        x: [],
        y: [],
        z: [],
        v: [],
        mapId: [],
        mount: [],
        tick: [],
        seq: [],
        u: [],
        sig: [],
      };
      tracks[m.playerId] = track;
    }
    track.t.push(toEpochSeconds(m.t, t0) ?? m.t);
    track.at.push(entry.at);
    track.x.push(m.x);
    track.y.push(m.y);
    track.z.push(m.z);
    track.v.push(m.v ?? null);
    track.mapId.push(m.mapId ?? null);
    track.mount.push(m.mount ?? null);
    track.tick.push(m.tick ?? null);
    track.seq.push(m.seq ?? null);
    track.u.push(m.u ?? null);
    track.sig.push(m.sig ?? null);
  }
  const document: JsonExport = {
    format: 'gw2race-replay-export',
    version: 1,
    header: options.header ?? null,
    t0,
    events,
    tracks,
  };
  return JSON.stringify(document);
}
