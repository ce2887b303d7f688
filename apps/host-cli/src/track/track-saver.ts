import { encodeBeetlerankCsv } from '@gw2race/race-engine';
import {
  encodeTrackJson,
  type Notice,
  type RecorderState,
  recordedTrack,
  savedNotice,
} from '@gw2race/track-authoring';
import { writeFileAtomically } from './track-file';

/** Options of {@link createTrackSaver}. */
export interface TrackSaverOptions {
  /** The track JSON to write. */
  readonly out: string;
  /** A Beetlerank CSV to write beside it on every save. */
  readonly csv?: string | undefined;
  readonly id: string;
  readonly name: string;
  /** Default: the character's name at the first save. */
  readonly author?: string | undefined;
  readonly laps?: number | undefined;
  /** Wall clock for `createdAt` and the time of the save. */
  readonly now: () => Date;
}

/** Saves a recording's track, and remembers what was saved. */
export interface TrackSaver {
  /**
   * Writes the track of `state` (JSON, and CSV with `csv`) whole or not at all; resolves with
   * what to tell the organizer. `character` is the author when none was given.
   */
  save(state: RecorderState, character: string | undefined): Promise<Notice>;
  /** True when `state` has changes the files do not. */
  unsaved(state: RecorderState): boolean;
  /** When the files were last written. */
  readonly savedAt: Date | undefined;
  /** The track JSON last written, if any. */
  readonly savedFile: string | undefined;
}

/**
 * The saving half of a recording session: a track validated by the protocol schema, written
 * atomically; the author and creation time fixed at the first save, so saving again changes
 * only the course.
 */
export function createTrackSaver(options: TrackSaverOptions): TrackSaver {
  let savedRevision = 0;
  let savedAt: Date | undefined;
  let savedFile: string | undefined;
  let createdAt: string | undefined;
  let author = options.author;
  return {
    async save(state, character) {
      const meta = {
        id: options.id,
        name: options.name,
        author: author ?? character,
        createdAt: createdAt ?? options.now().toISOString(),
        laps: options.laps,
      };
      const result = recordedTrack(state, meta);
      if (!result.ok) return { level: 'error', text: `not saved: ${result.error.message}` };
      const track = result.value;
      try {
        await writeFileAtomically(options.out, encodeTrackJson(track));
        if (options.csv) await writeFileAtomically(options.csv, encodeBeetlerankCsv(track));
      } catch (error) {
        const text = `not saved: ${error instanceof Error ? error.message : String(error)}`;
        return { level: 'error', text };
      }
      createdAt = meta.createdAt;
      author = meta.author;
      savedRevision = state.revision;
      savedAt = options.now();
      savedFile = options.out;
      return savedNotice(track, state, options);
    },
    unsaved: (state) => state.revision !== savedRevision && state.checkpoints.length > 0,
    get savedAt() {
      return savedAt;
    },
    get savedFile() {
      return savedFile;
    },
  };
}
