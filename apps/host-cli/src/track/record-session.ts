import { AppError, type Screen } from '@gw2race/app-shared';
import type { MumbleLinkReader } from '@gw2race/mumblelink';
import type { TrackWarning } from '@gw2race/race-engine';
import {
  actionForKey,
  createRecorder,
  draftWarnings,
  type Here,
  KEY_HELP,
  type Notice,
  pathRows,
  type RecorderOptions,
  type RecorderState,
  recorderStep,
  recordPathSample,
} from '@gw2race/track-authoring';
import { type OrganizerPosition, watchOrganizer } from './organizer-position';
import { renderRecorder } from './render-recorder';
import { createTrackSaver, type TrackSaver } from './track-saver';

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

/** What the pieces of a session share: the recording, its saver, the organizer's position. */
interface SessionContext {
  readonly options: RecordSessionOptions;
  readonly saver: TrackSaver;
  readonly outcome: ReturnType<typeof createOutcome>;
  readonly organizer: OrganizerPosition;
  state: RecorderState;
  quitArmed: boolean;
  lastNotice: Notice | undefined;
  /** The screen redraws up to 10 times a second: validate once per change, not per redraw. */
  warningsOf: { revision: number; warnings: TrackWarning[] } | undefined;
}

function warnings(ctx: SessionContext): TrackWarning[] {
  if (ctx.warningsOf?.revision !== ctx.state.revision)
    ctx.warningsOf = { revision: ctx.state.revision, warnings: draftWarnings(ctx.state) };
  return ctx.warningsOf.warnings;
}

function view(ctx: SessionContext): string {
  const { state, options, organizer, saver } = ctx;
  return renderRecorder({
    state,
    here: organizer.here(),
    status: organizer.status,
    speed: organizer.latest?.speed,
    where: options.reader.description,
    out: options.out,
    csv: options.csv,
    warnings: warnings(ctx),
    unsaved: saver.unsaved(state),
    savedAt: saver.savedAt,
    notice: ctx.lastNotice,
    sourceNote: options.sourceNote,
    pathSamples: pathRows(state).length,
  });
}

/** A terminal shows the live screen; a log gets the notices as lines, and the screen at the end. */
function redraw(ctx: SessionContext): void {
  if (ctx.options.live) ctx.options.screen.render(view(ctx));
}

function notify(ctx: SessionContext, notice: Notice): void {
  ctx.lastNotice = notice;
  ctx.options.screen.log(noticeLine(notice));
}

/** Quits, unless there are unsaved changes and this is the first q: then it warns. */
function quit(ctx: SessionContext): void {
  const unsaved = ctx.saver.unsaved(ctx.state);
  if (unsaved && !ctx.quitArmed) {
    ctx.quitArmed = true;
    notify(ctx, {
      level: 'warning',
      text: 'unsaved changes: press q again to quit without saving them, or w to save',
    });
    redraw(ctx);
    return;
  }
  ctx.outcome.settle({ saved: ctx.saver.savedFile, discarded: unsaved });
}

/** One key: a recorder step, a save, help, or quitting. */
async function handleKey(ctx: SessionContext, key: string, ctrl: boolean): Promise<void> {
  if (ctx.outcome.settled) return;
  if (ctrl && (key === 'c' || key === 'd')) return quit(ctx);
  const action = actionForKey(key);
  if (action.type !== 'quit') ctx.quitArmed = false;
  switch (action.type) {
    case 'save':
      notify(ctx, await ctx.saver.save(ctx.state, ctx.organizer.latest?.frame.identity?.name));
      break;
    case 'quit':
      return quit(ctx);
    case 'help':
      for (const [keys, what] of KEY_HELP) ctx.options.screen.log(`  ${keys.padEnd(14)} ${what}`);
      break;
    case 'unknown':
      notify(ctx, { level: 'error', text: `unknown key "${action.key}" (? lists the keys)` });
      break;
    default: {
      const wasStarted = ctx.state.checkpoints.length > 0;
      const step = recorderStep(ctx.state, action, ctx.organizer.here());
      ctx.state = step.state;
      notify(ctx, step.notice);
      if (!wasStarted && ctx.state.checkpoints.length > 0) ctx.options.onStart?.();
    }
  }
  redraw(ctx);
}

/** Starts the reader; its failure is an {@link AppError}. */
async function startReader(ctx: SessionContext): Promise<void> {
  try {
    await ctx.options.reader.start();
  } catch (error) {
    throw new AppError(
      'FAILED',
      `cannot read MumbleLink: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  redraw(ctx);
}

/**
 * Wires the organizer's MumbleLink reader (see {@link watchOrganizer}), the pure recorder of
 * `@gw2race/track-authoring` and the key bindings together; saving is the
 * {@link createTrackSaver}'s (the track as JSON and, with `csv`, as a Beetlerank CSV). Keys,
 * the end of input and interrupts are handled one after the other, in order.
 */
export function createRecordSession(options: RecordSessionOptions): RecordSession {
  // The reader calls back only once started, when `ctx` exists.
  const organizer = watchOrganizer(options.reader, {
    screen: options.screen,
    startMapId: () => ctx.state.checkpoints[0]?.mapId,
    onFrame() {
      ctx.state = recordPathSample(ctx.state, organizer.here());
      if (options.live) redraw(ctx);
    },
    onStatus: () => redraw(ctx),
  });
  const ctx: SessionContext = {
    options,
    saver: createTrackSaver({ ...options, now: options.now ?? (() => new Date()) }),
    outcome: createOutcome(),
    organizer,
    state: createRecorder(options.recorder),
    quitArmed: false,
    lastNotice: undefined,
    warningsOf: undefined,
  };
  const { outcome, saver } = ctx;
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => void | Promise<void>): Promise<void> => {
    queue = queue.then(work);
    return queue;
  };
  return {
    start: () => startReader(ctx),
    press: (key, ctrl = false) => enqueue(() => handleKey(ctx, key, ctrl)),
    endOfInput: () =>
      enqueue(() => {
        if (outcome.settled) return;
        const unsaved = saver.unsaved(ctx.state);
        const { everLive } = organizer;
        outcome.settle(
          endOfInputOutcome(ctx.state, unsaved, everLive, organizer.here(), saver.savedFile),
        );
      }),
    interrupt: () =>
      enqueue(() => {
        const unsaved = saver.unsaved(ctx.state);
        if (unsaved)
          notify(ctx, {
            level: 'warning',
            text: 'interrupted: changes after the last save are lost',
          });
        outcome.settle({ saved: saver.savedFile, discarded: unsaved });
      }),
    get state() {
      return ctx.state;
    },
    get here() {
      return organizer.here();
    },
    done: outcome.done,
    view: () => view(ctx),
    stop() {
      organizer.close();
      options.reader.stop();
    },
  };
}
