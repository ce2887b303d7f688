import { createHmac, randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { AppError, connectHub, createColors, type Screen } from '@gw2race/app-shared';
import { createOffsetEstimator } from '@gw2race/clock-sync';
import { pollSntp } from '@gw2race/clock-sync/node';
import { closeClient } from '@gw2race/hub-client';
import {
  createFileSource,
  createMumbleLinkReader,
  type MumbleLinkReader,
  type MumbleLinkSample,
} from '@gw2race/mumblelink';
import { type Codec, createSyncSigning, type Track } from '@gw2race/protocol';
import {
  createRacerCore,
  encodePublish,
  type PublishEffect,
  type RacerCore,
  type RacerEffect,
  racerProgress,
} from '@gw2race/racer-core';
import { type BotMisbehaviour, seedFrom } from '@gw2race/simulator';
import type { MqttClient } from 'mqtt';
import { type EarlierStanding, hudView } from './hud-view';
import { keepPersonalBest, personalBestFile, readPersonalBest } from './personal-best';
import { settingsFile } from './remembered-hub';
import { type RacerScreen, renderRacerScreen, type ShownMessage } from './screen';
import { startSimulation } from './simulate';

/** Everything the racer needs to know to take part. */
export interface RacerOptions {
  raceId: string;
  playerId: string;
  name: string;
  mode: 'racer' | 'spectator';
  broker: string;
  username?: string;
  /** The SHA-256 of the hub's self-made TLS certificate (an invitation's `tlsSha256`). */
  tlsSha256?: string;
  password?: string;
  caFile?: string;
  /** A closed race (an invitation): the player key every published message is signed with. */
  signingKey?: Uint8Array;
  /** MumbleLink source: a Windows mapping name, or a file path. */
  mumbleName?: string;
  mumbleFile?: string;
  simulate?: {
    seed?: number;
    speed?: number;
    misbehave?: BotMisbehaviour;
    /** The line the bot follows (`--sim-line`) instead of the race state's course alone. */
    referenceLine?: Track['referenceLine'];
  };
  /** SNTP servers, or `false` to skip SNTP. */
  ntp: readonly string[] | false;
  /** Encoding of position messages. */
  codec: Codec;
  /** Positions per second (at most 10: the protocol's ceiling). */
  positionRate: number;
  /** How long to wait for the race's retained state before saying the code is wrong, ms. */
  waitForRaceMs: number;
  /** Keep running after the race ends. */
  stay: boolean;
  /**
   * The tournament goes on in race `raceId` (control `NEXT_RACE`): this session ends (exit code
   * 0) and the caller runs one for that race, given the standing earned here (if the host sent
   * one). Without it, the session ends as after a race.
   */
  onNextRace?: (raceId: string, earlier: EarlierStanding | undefined) => void;
  /** The standing after the tournament's previous race, shown until this race's comes. */
  earlier?: EarlierStanding | undefined;
  /** The HUD page (`--hud`): each redraw shows the same progress there. */
  hud?: { readonly url: string; publish(view: ReturnType<typeof hudView>): void } | undefined;
  screen: Screen;
  version: string;
}

const REDRAW_EVERY_MS = 200;
const MESSAGES_SHOWN = 6;

/**
 * One racer session's wiring: the core that decides, and what runs its effects (the hub
 * client, the MumbleLink reader, timers, the screen).
 */
interface Session {
  readonly options: RacerOptions;
  readonly core: RacerCore<MumbleLinkSample>;
  readonly screen: RacerScreen;
  readonly cleanups: (() => void)[];
  client: MqttClient | undefined;
  reader: MumbleLinkReader | undefined;
  simulating: boolean;
  wake: NodeJS.Timeout | undefined;
  endTimer: NodeJS.Timeout | undefined;
  /** Where the racer's best run on this course is kept, once the course is known. */
  bestFile: string | undefined;
  finish: (code: number) => void;
  redraw(): void;
  note(text: string, level?: ShownMessage['level']): void;
  run(effects: readonly RacerEffect[]): void;
}

/**
 * Runs a racer (or spectator) session until the race ends or the user interrupts: the rules
 * are `@gw2race/racer-core`'s; this connects the hub, reads MumbleLink (or drives a bot), keeps
 * the core's timer and draws the screen. Resolves with the exit code.
 */
export async function runRacer(options: RacerOptions): Promise<number> {
  const { session, finished } = createSession(options);
  startUtc(session);
  // A hub that refuses us for good after a reconnect (our player id taken, credentials revoked).
  let refusal: AppError | undefined;
  const client = await connect(session, (error) => {
    refusal = error;
    session.finish(error.exitCode);
  });
  // Ticking from now on: without a retained state the core asks the host for it.
  armWake(session);
  await waitForRace(session, client);
  session.run(session.core.handle({ type: 'begin' }));
  armWake(session);
  if (options.mode === 'racer' && !options.simulate) {
    void startReader(session, {
      ...(options.mumbleFile !== undefined ? { path: options.mumbleFile } : {}),
      ...(options.mumbleName !== undefined ? { name: options.mumbleName } : {}),
    });
  }
  const redraws = setInterval(session.redraw, REDRAW_EVERY_MS);
  session.redraw();

  const onSignal = () => session.finish(130);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const code = await finished;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  clearInterval(redraws);
  if (
    session.bestFile &&
    keepPersonalBest(session.bestFile, session.core.view.ranking, options.playerId)
  )
    process.stdout.write('A personal best on this course: kept to race against next time.\n');
  await shutdown(session, client);
  if (refusal) throw refusal;
  return code;
}

function createSession(options: RacerOptions): { session: Session; finished: Promise<number> } {
  const colors = createColors();
  const core = createRacerCore<MumbleLinkSample>({
    raceId: options.raceId,
    playerId: options.playerId,
    name: options.name,
    mode: options.mode,
    simulated: options.simulate !== undefined,
    software: `gw2race-racer/${options.version}`,
    codec: options.codec,
    positionRate: options.positionRate,
    sign: options.signingKey !== undefined,
  });
  const messages: ShownMessage[] = [];
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const session: Session = {
    options,
    core,
    screen: {
      options,
      racer: core.view,
      utc: options.ntp === false ? 'off' : 'pending',
      mumbleWhere: '',
      messages,
      earlier: options.earlier,
      hudUrl: options.hud?.url,
    },
    cleanups: [],
    client: undefined,
    reader: undefined,
    simulating: false,
    wake: undefined,
    endTimer: undefined,
    bestFile: undefined,
    finish: (code) => finish(code),
    redraw: () => draw(session, colors),
    note(text, level = 'info') {
      messages.push({ at: Date.now(), text, level });
      if (messages.length > MESSAGES_SHOWN) messages.shift();
      session.redraw();
    },
    run: (effects) => runEffects(session, effects),
  };
  return { session, finished };
}

/** Draws the screen and, with `--hud`, the HUD page: the same progress, read at this instant. */
function draw(session: Session, colors: ReturnType<typeof createColors>): void {
  const { options, core } = session;
  // The reader knows what it watches only once it has opened its source.
  if (session.reader) session.screen.mumbleWhere = session.reader.description;
  const progress = racerProgress(core.view, {
    playerId: options.playerId,
    best: session.screen.best?.splits,
    atMs: performance.now(),
  });
  session.screen.progress = progress;
  // Made only when drawn (at most 4 a second), however often the race says it changed.
  options.screen.render(() => renderRacerScreen(session.screen, colors));
  options.hud?.publish(
    hudView(progress, {
      name: options.name,
      raceId: options.raceId,
      mode: options.mode,
      trackName: core.view.state?.trackName ?? core.view.state?.trackId,
      earlier: options.earlier,
    }),
  );
}

/** The racer's best run on this course, to show split deltas against (racers only). */
function loadPersonalBest(session: Session): void {
  const state = session.core.view.state;
  if (session.options.mode !== 'racer' || !state || session.bestFile) return;
  session.bestFile = personalBestFile(dirname(settingsFile()), state);
  session.screen.best = readPersonalBest(session.bestFile);
}

/** Does what the core asked, in order. */
function runEffects(session: Session, effects: readonly RacerEffect[]): void {
  for (const effect of effects) {
    switch (effect.type) {
      case 'publish':
        publish(session, effect);
        break;
      case 'note':
        session.note(effect.text, effect.level);
        break;
      case 'course':
        loadPersonalBest(session);
        if (session.options.mode === 'racer' && session.options.simulate && !session.simulating)
          startSimulated(session, effect.track);
        break;
      case 'ended':
        session.redraw();
        // Give the final ranking a moment to arrive, then leave; in a tournament, wait for the
        // standing and the next race.
        if (!session.options.stay && !effect.awaitNext)
          session.endTimer = setTimeout(() => session.finish(0), effect.leaveAfterMs);
        break;
      case 'next-race':
        followNextRace(session, effect.raceId);
        break;
      case 'crossing':
        break;
    }
  }
}

/** Ends this race's session to follow to the next race of the tournament, or at its end. */
function followNextRace(session: Session, raceId: string | undefined): void {
  const { onNextRace, stay } = session.options;
  if (raceId !== undefined && onNextRace) {
    const { standing, state } = session.core.view;
    const tournament = state?.tournament;
    onNextRace(
      raceId,
      standing && tournament
        ? { standing, race: tournament.race, races: tournament.races }
        : session.options.earlier,
    );
    session.finish(0);
  } else if (!stay) session.endTimer = setTimeout(() => session.finish(0), 300);
}

const nodeHmac = (key: Uint8Array, data: Uint8Array): Uint8Array =>
  createHmac('sha256', key).update(data).digest();
const signing = createSyncSigning(nodeHmac);

/**
 * The bytes of a publish: encoded, and in a closed race signed with the player key (at once, so
 * messages leave in the order the core made them).
 */
function payloadOf(options: RacerOptions, effect: PublishEffect): Uint8Array {
  const bytes = encodePublish(effect);
  return effect.sign && options.signingKey
    ? signing.sign(effect.topic, bytes, options.signingKey)
    : bytes;
}

function publish(session: Session, effect: PublishEffect): void {
  const client = session.client;
  // The core drops what must not be queued while it knows the hub is away; mqtt.js may have
  // lost the connection a moment before saying so (QoS 0 is never queued: connectHub sets
  // queueQoSZero: false, but a QoS 1 presence would be).
  if (!client || (!effect.queueOffline && !client.connected)) return;
  client.publish(effect.topic, Buffer.from(payloadOf(session.options, effect)), {
    qos: effect.qos,
    retain: false,
  });
}

/** UTC via SNTP, in the background: it only informs (the race runs on the organizer's clock). */
function startUtc(session: Session): void {
  const { ntp } = session.options;
  if (ntp === false) return;
  pollSntp({
    servers: ntp,
    samplesPerServer: 2,
    intervalMs: 500,
    timeoutMs: 1500,
    retries: 0,
    estimator: createOffsetEstimator(),
  }).then(
    (poll) => {
      session.screen.utc = { offsetMs: poll.offsetMs, boundMs: poll.boundMs };
    },
    () => {
      session.screen.utc = 'unavailable';
    },
  );
}

async function connect(
  session: Session,
  onRefused: (error: AppError) => void,
): Promise<MqttClient> {
  const { options, core } = session;
  const username = hubUsername(options);
  const client = await connectHub(options.broker, {
    // A crypto-random tail: a client id is not a secret (the hub binds players to connections),
    // but one that cannot be guessed cannot be taken over before it is seen.
    clientId: `gw2race-${options.mode}-${options.playerId}-${randomBytes(6).toString('hex')}`,
    will: willOf(options, core),
    onRefused,
    // Only a closed race's credential needs the player id as user name; a hub with anonymous
    // access on (RabbitMQ, Mosquitto's allow_anonymous) refuses an unknown user name.
    ...(username !== undefined ? { username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.caFile !== undefined ? { caFile: options.caFile } : {}),
    ...(options.tlsSha256 !== undefined ? { tlsSha256: options.tlsSha256 } : {}),
    onStatus: (status) => {
      session.run(core.handle({ type: 'hub', status }));
      session.redraw();
    },
  });
  session.client = client;
  session.cleanups.push(() => client.end(true));
  session.run(core.handle({ type: 'hub', status: 'online' }));
  client.on('message', (topic, payload) => {
    const at = performance.now();
    session.run(core.handle({ type: 'message', topic, payload, at }));
    session.redraw();
  });
  await client.subscribeAsync(core.subscriptions());
  return client;
}

/** The last will: the core's presence `disconnected`, signed in a closed race. */
function willOf(options: RacerOptions, core: RacerCore<MumbleLinkSample>) {
  const will = core.lastWill();
  return {
    topic: will.topic,
    payload: Buffer.from(payloadOf(options, will)),
    qos: will.qos,
    retain: false,
  };
}

/**
 * The MQTT user name: `--username`, else the player id when a password is given (a closed race's
 * invitation credential is checked against the player id), else none.
 */
export function hubUsername(
  options: Pick<RacerOptions, 'username' | 'password' | 'playerId'>,
): string | undefined {
  return options.username ?? (options.password !== undefined ? options.playerId : undefined);
}

/** How often the wait for the race says it is still waiting. */
const WAIT_PROGRESS_EVERY_MS = 3000;

/**
 * The race must exist: its state is retained on the hub, or (a broker node or tier without the
 * retained message) sent by the host on the core's request and every few seconds. Shows
 * progress while waiting.
 */
async function waitForRace(session: Session, client: MqttClient): Promise<void> {
  const { options, core } = session;
  const startedAt = performance.now();
  const waitedUntil = startedAt + options.waitForRaceMs;
  let nextNote = startedAt + 1000;
  while (!core.view.state && performance.now() < waitedUntil) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = performance.now();
    if (core.view.state || now < nextNote) continue;
    nextNote = now + WAIT_PROGRESS_EVERY_MS;
    const waited = Math.round((now - startedAt) / 1000);
    session.note(
      `waiting for race "${options.raceId}" on the hub: ${waited} s of ${Math.round(options.waitForRaceMs / 1000)} s`,
    );
    session.redraw();
  }
  if (core.view.state) return;
  client.end(true);
  throw new AppError(
    'NO_RACE',
    `no race "${options.raceId}" on ${options.broker} (no race state there)`,
    {
      hint: 'check the server code with the organizer; if the host has not started yet, try again in a moment',
    },
  );
}

/** The longest the timer sleeps: a hub status change may bring the core's next task forward. */
const MAX_WAKE_MS = 1000;

/** One timer, armed for whatever the core does next (at least once a second). */
function armWake(session: Session): void {
  if (session.wake) clearTimeout(session.wake);
  const delay = Math.min(MAX_WAKE_MS, Math.max(0, session.core.nextWakeAt() - performance.now()));
  session.wake = setTimeout(() => {
    session.run(session.core.handle({ type: 'tick' }));
    armWake(session);
  }, delay);
}

function startSimulated(session: Session, course: Track): void {
  const { options } = session;
  const simulate = options.simulate ?? {};
  const line = simulate.referenceLine;
  const clock = () => session.core.view.clock;
  const simulation = startSimulation({
    track: line ? { ...course, referenceLine: line } : course,
    name: options.name,
    seed: simulate.seed ?? seedFrom(options.playerId),
    ...(simulate.speed !== undefined ? { speed: simulate.speed } : {}),
    ...(simulate.misbehave !== undefined ? { misbehave: simulate.misbehave } : {}),
    raceSeconds: () => {
      const raceMs = clock()?.raceTime().raceMs;
      return raceMs === undefined ? undefined : raceMs / 1000;
    },
  });
  session.simulating = true;
  session.cleanups.push(() => simulation.stop());
  void startReader(session, { path: simulation.path });
}

async function startReader(session: Session, where: { path?: string; name?: string }) {
  const { core } = session;
  const reader = createMumbleLinkReader({
    ...(where.path !== undefined
      ? { source: () => createFileSource({ path: where.path as string }), path: where.path }
      : {}),
    ...(where.name !== undefined ? { name: where.name } : {}),
    pollHz: 60,
  });
  session.reader = reader;
  session.screen.mumbleWhere = reader.description;
  const game = (status: 'live' | 'stale' | 'absent') => {
    session.run(core.handle({ type: 'game', status }));
    session.redraw();
  };
  reader.on('frame', (sample) => session.run(core.handle({ type: 'sample', sample })));
  reader.on('live', () => game('live'));
  reader.on('stale', () => game('stale'));
  reader.on('waiting', (change) => {
    game('absent');
    session.note(change.message, 'warning');
  });
  reader.on('error', (error: Error) => session.note(`MumbleLink: ${error.message}`, 'warning'));
  session.cleanups.push(() => void reader.stop());
  await reader.start().catch((error: unknown) => {
    session.note(
      `cannot read MumbleLink: ${error instanceof Error ? error.message : String(error)}`,
      'warning',
    );
  });
}

async function shutdown(session: Session, client: MqttClient): Promise<void> {
  if (session.endTimer) clearTimeout(session.endTimer);
  if (session.wake) clearTimeout(session.wake);
  session.redraw();
  session.options.screen.close();
  if (client.connected) {
    session.run(session.core.handle({ type: 'leave' }));
    await closeClient(client);
  }
  for (const cleanup of session.cleanups) cleanup();
}
