import { AppError, type Screen } from '@gw2race/app-shared';
import {
  type MumbleLinkReader,
  type MumbleLinkSample,
  type ReaderStatus,
  waitingMessage,
} from '@gw2race/mumblelink';
import { encodeBeetlerankCsv, type TrackWarning, validateTrack } from '@gw2race/race-engine';
import { actionForKey, KEY_HELP } from './keys';
import {
  createRecorder,
  draftWarnings,
  type Here,
  type Notice,
  pathRows,
  type RecorderOptions,
  type RecorderState,
  recordedTrack,
  recorderStep,
  recordPathSample,
} from './recorder';
import { renderRecorder } from './render-recorder';
import { encodeTrackJson, writeFileAtomically } from './track-file';

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

/**
 * Wires the organizer's MumbleLink reader, the pure recorder and the key bindings together, and
 * saves the track (validated by the protocol schema) as JSON and, with `csv`, as a Beetlerank CSV.
 */
export function createRecordSession(options: RecordSessionOptions): RecordSession {
  const { reader, screen } = options;
  const now = options.now ?? (() => new Date());
  let state = createRecorder(options.recorder);
  let latest: MumbleLinkSample | undefined;
  let status: ReaderStatus = 'stopped';
  let statusMessage = '';
  let everLive = false;
  let savedRevision = 0;
  let savedAt: Date | undefined;
  let savedFile: string | undefined;
  let createdAt: string | undefined;
  let author = options.author;
  let quitArmed = false;
  let lastNotice: Notice | undefined;
  let finished = false;
  let queue: Promise<void> = Promise.resolve();
  let resolveDone: (outcome: RecordOutcome) => void = () => undefined;
  let rejectDone: (error: AppError) => void = () => undefined;
  const done = new Promise<RecordOutcome>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const unsubscribe: (() => void)[] = [];

  function here(): Here {
    if (status === 'live' && latest) {
      const p = latest.frame.avatar.position;
      return {
        known: true,
        x: p.x,
        y: p.y,
        z: p.z,
        mapId: latest.frame.context.mapId,
        at: latest.receivedAt,
      };
    }
    if (status === 'stale') return { known: false, why: statusMessage };
    if (status === 'waiting' || !latest) {
      return { known: false, why: statusMessage || waitingMessage(reader.description) };
    }
    return { known: false, why: `no moving position yet from ${reader.description}` };
  }

  const unsaved = () => state.revision !== savedRevision && state.checkpoints.length > 0;

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
      here: here(),
      status,
      speed: latest?.speed,
      where: reader.description,
      out: options.out,
      csv: options.csv,
      warnings: warnings(),
      unsaved: unsaved(),
      savedAt,
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
    const mark = notice.level === 'error' ? '✗ ' : notice.level === 'warning' ? '! ' : '';
    screen.log(`${mark}${notice.text}`);
  }

  function finish(outcome: RecordOutcome | AppError): void {
    if (finished) return;
    finished = true;
    if (outcome instanceof AppError) rejectDone(outcome);
    else resolveDone(outcome);
  }

  async function save(): Promise<void> {
    const meta = {
      id: options.id,
      name: options.name,
      author: author ?? latest?.frame.identity?.name,
      createdAt: createdAt ?? now().toISOString(),
      laps: options.laps,
    };
    const result = recordedTrack(state, meta);
    if (!result.ok) {
      notify({ level: 'error', text: `not saved: ${result.error.message}` });
      return;
    }
    const track = result.value;
    const revision = state.revision;
    try {
      await writeFileAtomically(options.out, encodeTrackJson(track));
      if (options.csv) await writeFileAtomically(options.csv, encodeBeetlerankCsv(track));
    } catch (error) {
      notify({
        level: 'error',
        text: `not saved: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    createdAt = meta.createdAt;
    author = meta.author;
    savedRevision = revision;
    savedAt = now();
    savedFile = options.out;
    const found = validateTrack(track);
    const open =
      state.end === 'open' && !track.circuit
        ? ' (the course is open: its last checkpoint is the finish for now)'
        : '';
    notify({
      level: found.length > 0 ? 'warning' : 'info',
      text: `saved ${track.checkpoints.length} checkpoints${
        track.referenceLine ? ` and a ${track.referenceLine.length}-point reference line` : ''
      } to ${options.out}${options.csv ? ` and ${options.csv}` : ''}${open}${
        found.length > 0
          ? `; ${found.length} warning${found.length === 1 ? '' : 's'} (see the screen or track show)`
          : ''
      }`,
    });
  }

  async function handle(key: string, ctrl: boolean): Promise<void> {
    if (finished) return;
    if (ctrl && (key === 'c' || key === 'd')) return quit();
    const action = actionForKey(key);
    if (action.type !== 'quit') quitArmed = false;
    switch (action.type) {
      case 'save':
        await save();
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
        const step = recorderStep(state, action, here());
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
    finish({ saved: savedFile, discarded: unsaved() });
  }

  function onFrame(sample: MumbleLinkSample): void {
    latest = sample;
    state = recordPathSample(state, here());
    if (options.live) redraw();
  }

  return {
    async start() {
      unsubscribe.push(
        reader.on('frame', onFrame),
        reader.on('status', (change) => {
          status = change.status;
          statusMessage = change.message;
          if (change.status === 'live') {
            if (!everLive) screen.log(change.message);
            everLive = true;
          }
          if (change.status === 'waiting' || change.status === 'stale') screen.log(change.message);
          redraw();
        }),
        reader.on('mapChange', ({ mapId, previousMapId }) => {
          const start = state.checkpoints[0];
          screen.log(
            `${previousMapId === null ? 'on' : 'now on'} map ${mapId}${
              start && start.mapId !== mapId ? ` (the start is on map ${start.mapId})` : ''
            }`,
          );
        }),
        reader.on('error', (error) => screen.log(`! MumbleLink: ${error.message}`)),
      );
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
    press(key, ctrl = false) {
      queue = queue.then(() => handle(key, ctrl));
      return queue;
    },
    endOfInput() {
      queue = queue.then(() => {
        if (finished) return;
        if (unsaved()) {
          finish(
            new AppError(
              'FAILED',
              `the keys ran out with unsaved changes (${state.checkpoints.length} checkpoint${state.checkpoints.length === 1 ? '' : 's'}): nothing after the last save was kept`,
              { hint: 'end a key script with w (save), then q' },
            ),
          );
        } else if (!everLive) {
          const now = here();
          finish(
            new AppError(
              'FAILED',
              `no position was ever read: ${now.known ? 'the game never moved' : now.why}`,
              {
                hint: 'is Guild Wars 2 running, with a character in the world? (--simulate rides without the game)',
              },
            ),
          );
        } else finish({ saved: savedFile, discarded: false });
      });
      return queue;
    },
    interrupt() {
      queue = queue.then(() => {
        if (unsaved())
          notify({ level: 'warning', text: 'interrupted: changes after the last save are lost' });
        finish({ saved: savedFile, discarded: unsaved() });
      });
      return queue;
    },
    get state() {
      return state;
    },
    get here() {
      return here();
    },
    done,
    view,
    stop() {
      for (const off of unsubscribe.splice(0)) off();
      reader.stop();
    },
  };
}
