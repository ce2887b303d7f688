import { AppError, type Screen } from '@gw2race/app-shared';
import type { MumbleLinkReader } from '@gw2race/mumblelink';
import type { TrackWarning } from '@gw2race/race-engine';
import {
  createRecorder,
  draftWarnings,
  type Here,
  type Notice,
  pathRows,
  type RecorderOptions,
  type RecorderState,
  recorderStep,
  recordPathSample,
} from '@gw2race/track-authoring';
import { actionForKey, KEY_HELP } from './keys';
import { watchOrganizer } from './organizer-position';
import { renderRecorder } from './render-recorder';
import { createTrackSaver } from './track-saver';

/** Options of {@link createRecordSession}. */
export interface RecordSessionOptions {
  /** The organizer's MumbleLink, not started yet. */
  readonly reader: MumbleLinkReader;
  readonly recorder?: RecorderOptions;
  /** The track JSON to write. */
  readonly out: string;
  /** A Beetlerank CSV to write beside it on every save. */
  readonly csv?: string | undefined;
  readonly name: string;
  readonly id: string;
  /** Default: the character's name from MumbleLink at the first save. */
  readonly author?: string | undefined;
  readonly laps?: number | undefined;
  readonly screen: Screen;
  /** Redraw the live screen (a terminal); otherwise only notices are printed, as lines (a log). */
  readonly live: boolean;
  /** Wall clock for `createdAt` (default `new Date()`). */
  readonly now?: () => Date;
  /** Called when the start is dropped: a simulated organizer sets off. */
  readonly onStart?: () => void;
  /** A line about where the positions come from, for the screen (e.g. a simulated ride). */
  readonly sourceNote?: string | undefined;
}

/** How a recording session ended. */
export interface RecordOutcome {
  /** The file last saved, if any. */
  readonly saved: string | undefined;
  /** Changes after the last save were thrown away. */
  readonly discarded: boolean;
}

/** A recording session: MumbleLink in, keys in, the screen and the saved files out. */
export interface RecordSession {
  /** Starts reading MumbleLink; rejects with an {@link AppError} when it cannot be opened. */
  start(): Promise<void>;
  /** Handles one key (readline's name or the character); resolves once its work (a save) is done. */
  press(key: string, ctrl?: boolean): Promise<void>;
  /** The input ended (a key script ran out): quits, refusing to lose unsaved work silently. */
  endOfInput(): Promise<void>;
  /** Quits at once (a signal), saying what is lost. */
  interrupt(): Promise<void>;
  /** The recording so far. */
  readonly state: RecorderState;
  /** Where the organizer is now, or why that is unknown. */
  readonly here: Here;
  /** Resolves when the session ends (quit, end of input); rejects with an {@link AppError}. */
  readonly done: Promise<RecordOutcome>;
  /** The screen's text now (a log prints it once at the end). */
  view(): string;
  /** Stops reading (the caller stops after `done`). */
  stop(): void;
}

/** How a key script that ran out ends: an error when work would be lost or nothing was read. */
export function endOfInputOutcome(
  state: RecorderState,
  unsaved: boolean,
  everLive: boolean,
  here: Here,
  savedFile: string | undefined,
): RecordOutcome | AppError {
  if (unsaved) {
    const count = state.checkpoints.length;
    return new AppError(
      'FAILED',
      `the keys ran out with unsaved changes (${count} checkpoint${count === 1 ? '' : 's'}): nothing after the last save was kept`,
      { hint: 'end a key script with w (save), then q' },
    );
  }
  if (!everLive) {
    return new AppError(
      'FAILED',
      `no position was ever read: ${here.known ? 'the game never moved' : here.why}`,
      {
        hint: 'is Guild Wars 2 running, with a character in the world? (--simulate rides without the game)',
      },
    );
  }
  return { saved: savedFile, discarded: false };
}

/** The promise a session's `done` is, with its two ends; settles once. */
function createOutcome() {
  let settled = false;
  let resolve: (outcome: RecordOutcome) => void = () => undefined;
  let reject: (error: AppError) => void = () => undefined;
  const done = new Promise<RecordOutcome>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return {
    done,
    get settled() {
      return settled;
    },
    settle(outcome: RecordOutcome | AppError): void {
      if (settled) return;
      settled = true;
      if (outcome instanceof AppError) reject(outcome);
      else resolve(outcome);
    },
  };
}

/** `line` as the log shows a notice: errors marked ✗, warnings !. */
function noticeLine(notice: Notice): string {
  const mark = notice.level === 'error' ? '✗ ' : notice.level === 'warning' ? '! ' : '';
  return `${mark}${notice.text}`;
}

/**
 * Wires the organizer's MumbleLink reader (see {@link watchOrganizer}), the pure recorder of
 * `@gw2race/track-authoring` and the key bindings together; saving is the
 * {@link createTrackSaver}'s (the track as JSON and, with `csv`, as a Beetlerank CSV).
 */
export function createRecordSession(options: RecordSessionOptions): RecordSession {
  const { reader, screen } = options;
  const saver = createTrackSaver({ ...options, now: options.now ?? (() => new Date()) });
  const outcome = createOutcome();
  let state = createRecorder(options.recorder);
  let quitArmed = false;
  let lastNotice: Notice | undefined;
  let queue: Promise<void> = Promise.resolve();
  const organizer = watchOrganizer(reader, {
    screen,
    startMapId: () => state.checkpoints[0]?.mapId,
    onFrame() {
      state = recordPathSample(state, organizer.here());
      if (options.live) redraw();
    },
    onStatus: () => redraw(),
  });
  const unsaved = () => saver.unsaved(state);

  // The screen redraws up to 10 times a second: validate once per change, not per redraw.
  let warningsOf: { revision: number; warnings: TrackWarning[] } | undefined;
  function warnings(): TrackWarning[] {
    if (warningsOf?.revision !== state.revision)
      warningsOf = { revision: state.revision, warnings: draftWarnings(state) };
    return warningsOf.warnings;
  }

  function view(): string {
    return renderRecorder({
      state,
      here: organizer.here(),
      status: organizer.status,
      speed: organizer.latest?.speed,
      where: reader.description,
      out: options.out,
      csv: options.csv,
      warnings: warnings(),
      unsaved: unsaved(),
      savedAt: saver.savedAt,
      notice: lastNotice,
      sourceNote: options.sourceNote,
      pathSamples: pathRows(state).length,
    });
  }

  /** A terminal shows the live screen; a log gets the notices as lines, and the screen at the end. */
  function redraw(): void {
    if (options.live) screen.render(view());
  }

  function notify(notice: Notice): void {
    lastNotice = notice;
    screen.log(noticeLine(notice));
  }

  async function handle(key: string, ctrl: boolean): Promise<void> {
    if (outcome.settled) return;
    if (ctrl && (key === 'c' || key === 'd')) return quit();
    const action = actionForKey(key);
    if (action.type !== 'quit') quitArmed = false;
    switch (action.type) {
      case 'save':
        notify(await saver.save(state, organizer.latest?.frame.identity?.name));
        break;
      case 'quit':
        return quit();
      case 'help':
        for (const [keys, what] of KEY_HELP) screen.log(`  ${keys.padEnd(14)} ${what}`);
        break;
      case 'unknown':
        notify({ level: 'error', text: `unknown key "${action.key}" (? lists the keys)` });
        break;
      default: {
        const wasStarted = state.checkpoints.length > 0;
        const step = recorderStep(state, action, organizer.here());
        state = step.state;
        notify(step.notice);
        if (!wasStarted && state.checkpoints.length > 0) options.onStart?.();
      }
    }
    redraw();
  }

  function quit(): void {
    if (unsaved() && !quitArmed) {
      quitArmed = true;
      notify({
        level: 'warning',
        text: 'unsaved changes: press q again to quit without saving them, or w to save',
      });
      redraw();
      return;
    }
    outcome.settle({ saved: saver.savedFile, discarded: unsaved() });
  }

  const enqueue = (work: () => void | Promise<void>): Promise<void> => {
    queue = queue.then(work);
    return queue;
  };

  return {
    async start() {
      try {
        await reader.start();
      } catch (error) {
        throw new AppError(
          'FAILED',
          `cannot read MumbleLink: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      redraw();
    },
    press: (key, ctrl = false) => enqueue(() => handle(key, ctrl)),
    endOfInput: () =>
      enqueue(() => {
        if (outcome.settled) return;
        outcome.settle(
          endOfInputOutcome(
            state,
            unsaved(),
            organizer.everLive,
            organizer.here(),
            saver.savedFile,
          ),
        );
      }),
    interrupt: () =>
      enqueue(() => {
        if (unsaved())
          notify({ level: 'warning', text: 'interrupted: changes after the last save are lost' });
        outcome.settle({ saved: saver.savedFile, discarded: unsaved() });
      }),
    get state() {
      return state;
    },
    get here() {
      return organizer.here();
    },
    done: outcome.done,
    view,
    stop() {
      organizer.close();
      reader.stop();
    },
  };
}
