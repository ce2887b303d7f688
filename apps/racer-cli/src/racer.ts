import {
  AppError,
  closeClient,
  connectHub,
  createColors,
  type Screen,
} from '@gw2race/app-shared';
import {
  createOffsetEstimator,
  createPingSync,
  createRaceClock,
  type OffsetEstimator,
  type RaceClock,
} from '@gw2race/clock-sync';
import { pollSntp } from '@gw2race/clock-sync/node';
import {
  createFileSource,
  createMumbleLinkReader,
  type MumbleLinkReader,
  type MumbleLinkSample,
} from '@gw2race/mumblelink';
import {
  buildTopic,
  type CheckpointMessage,
  type Codec,
  type ControlMessage,
  decodeTopicMessage,
  encodeMessage,
  lastWill,
  type MessageKind,
  type MessageOf,
  type RankingMessage,
  type StateMessage,
  TOPIC_SETTINGS,
  type Track,
} from '@gw2race/protocol';
import { toCheckpointMessage, trackFromState } from '@gw2race/race-engine';
import { type BotMisbehaviour, seedFrom } from '@gw2race/simulator';
import type { MqttClient } from 'mqtt';
import { createCheckpointOutbox } from './checkpoint-outbox';
import { createLocalCourse, type LocalCourse } from './local-course';
import { renderRacerScreen } from './screen';
import { type Simulation, startSimulation } from './simulate';

/** Everything the racer needs to know to take part. */
export interface RacerOptions {
  raceId: string;
  playerId: string;
  name: string;
  mode: 'racer' | 'spectator';
  broker: string;
  username?: string;
  password?: string;
  caFile?: string;
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
  screen: Screen;
  version: string;
}

/** A message shown on the racer's screen. */
export interface ShownMessage {
  at: number;
  text: string;
  level: 'info' | 'warning' | 'important';
}

/** What the screen shows; also what tests look at. */
export interface RacerView {
  options: RacerOptions;
  hub: 'online' | 'offline' | 'reconnecting';
  state: StateMessage | undefined;
  clock: RaceClock | undefined;
  estimator: OffsetEstimator;
  lastRttMs: number | undefined;
  utc: { offsetMs: number; boundMs: number } | 'unavailable' | 'pending' | 'off';
  game: 'live' | 'stale' | 'absent' | 'simulated' | 'spectating';
  latest: MumbleLinkSample | null;
  mumbleWhere: string;
  ranking: RankingMessage | undefined;
  messages: ShownMessage[];
  crossings: number;
  /** Crossings the race needs (all laps), once the course is known. */
  courseLength: number | undefined;
  unconfirmed: number;
  paused: boolean;
  ended: string | undefined;
}

const PRESENCE_EVERY_MS = 1000;

/** Ping every 250 ms at first (a good offset in 2 s), every 2 s until the start, then every 10 s. */
const PING_BURST = 8;
const PING_BURST_MS = 250;
const PING_PRE_RACE_MS = 2000;
const PING_RACE_MS = 10_000;
/**
 * A position unchanged for this long is sent again, so the host knows the racer is still there:
 * half the race engine's gap threshold (the course's `gapSeconds`, 1 s by default), so a racer
 * standing still is never judged a gap in the stream.
 */
export function positionKeepAliveMs(gapSeconds = 1): number {
  return (gapSeconds * 1000) / 2;
}

/**
 * Runs a racer (or spectator) session until the race ends or the user interrupts: clock sync,
 * hub connection, presence, pings, positions, locally detected checkpoints (re-sent until the
 * host's ranking credits them), and the screen. Resolves with the exit code.
 */
export async function runRacer(options: RacerOptions): Promise<number> {
  const { raceId, playerId, screen } = options;
  const colors = createColors();
  const isRacer = options.mode === 'racer';
  const estimator = createOffsetEstimator();
  const pingSync = createPingSync({ playerId, estimator });
  const view: RacerView = {
    options,
    hub: 'offline',
    state: undefined,
    clock: undefined,
    estimator,
    lastRttMs: undefined,
    utc: options.ntp === false ? 'off' : 'pending',
    game: isRacer ? (options.simulate ? 'simulated' : 'absent') : 'spectating',
    latest: null,
    mumbleWhere: '',
    ranking: undefined,
    messages: [],
    crossings: 0,
    courseLength: undefined,
    unconfirmed: 0,
    paused: false,
    ended: undefined,
  };
  const timers: NodeJS.Timeout[] = [];
  let reader: MumbleLinkReader | undefined;
  const cleanups: (() => void)[] = [];
  const redraw = () => {
    // The reader knows what it watches only once it has opened its source.
    if (reader) view.mumbleWhere = reader.description;
    screen.render(renderRacerScreen(view, colors));
  };
  const note = (text: string, level: ShownMessage['level'] = 'info') => {
    view.messages.push({ at: Date.now(), text, level });
    if (view.messages.length > 6) view.messages.shift();
    redraw();
  };

  // 1. UTC via SNTP, in the background: it only informs (the race runs on the organizer's clock).
  if (options.ntp !== false) {
    const utcEstimator = createOffsetEstimator();
    pollSntp({
      servers: options.ntp,
      samplesPerServer: 2,
      intervalMs: 500,
      timeoutMs: 1500,
      retries: 0,
      estimator: utcEstimator,
    }).then(
      (poll) => {
        view.utc = { offsetMs: poll.offsetMs, boundMs: poll.boundMs };
      },
      () => {
        view.utc = 'unavailable';
      },
    );
  }

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  // A hub that refuses us for good after a reconnect (our player id taken, credentials revoked).
  let refusal: AppError | undefined;

  // 2. The hub.
  const presenceTopic = buildTopic(raceId, 'presence');
  const client: MqttClient = await connectHub(options.broker, {
    clientId: `gw2race-${options.mode}-${playerId}-${Math.random().toString(36).slice(2, 8)}`,
    will: lastWill(raceId, playerId, { mode: options.mode }),
    onRefused: (error) => {
      refusal = error;
      finish(error.exitCode);
    },
    ...(options.username !== undefined ? { username: options.username } : { username: playerId }),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.caFile !== undefined ? { caFile: options.caFile } : {}),
    onStatus: (status) => {
      view.hub = status;
      if (status === 'online') {
        sendPresence('join');
        outbox.reconnected();
        note('reconnected to the hub');
      } else if (status === 'offline') note('lost the hub; reconnecting…', 'warning');
      redraw();
    },
  });
  view.hub = 'online';
  cleanups.push(() => client.end(true));

  // The hub is online as far as mqtt.js knows (it queues QoS 1 publishes while offline).
  const online = () => view.hub === 'online' && client.connected;
  const publish = <K extends MessageKind>(
    kind: K,
    topic: string,
    message: MessageOf<K>,
    codec: Codec = 'json',
  ) => {
    const channel = topic.split('/')[2] as keyof typeof TOPIC_SETTINGS;
    const settings = TOPIC_SETTINGS[channel];
    // What the protocol says is not queued offline (presence, positions, pings) is dropped here:
    // mqtt.js would queue a QoS 1 presence and burst stale heartbeats out on reconnect, which
    // then sends a fresh `join`. (QoS 0 is never queued: connectHub sets queueQoSZero: false.)
    if (!settings.queueOffline && !online()) return;
    client.publish(topic, Buffer.from(encodeMessage(kind, message, { codec })), {
      qos: settings.qos,
      retain: false,
    });
  };

  // 3. Messages from the host.
  let detector: LocalCourse | undefined;
  let trackKey = '';
  let simulation: Simulation | undefined;
  let t0: number | null = null;
  let raceStartedAt: number | undefined;
  const checkpointsTopic = buildTopic(raceId, 'checkpoints');
  const outbox = createCheckpointOutbox({
    send: (message: CheckpointMessage) => publish('checkpoint', checkpointsTopic, message),
    online,
    now: () => performance.now(),
    giveUp: (message) =>
      note(
        `the host has not credited checkpoint ${message.cp}; it judges from your positions`,
        'warning',
      ),
  });
  let checkpointSeq = 0;
  const posTopic = buildTopic(raceId, 'pos', playerId);
  let lastPosition: { x: number; y: number; z: number } | undefined;
  let lastSample: MumbleLinkSample | undefined;
  let lastSentTick: number | undefined;
  let lastSentAt = 0;
  const pollHz = 60;
  let endTimer: NodeJS.Timeout | undefined;

  const applyT0 = (next: number | null | undefined) => {
    const value = next ?? null;
    if (value === t0) return;
    t0 = value;
    view.clock = value === null ? undefined : createRaceClock({ t0: value, estimator });
    detector?.setT0(value);
    view.crossings = 0;
    outbox.clear();
    view.unconfirmed = 0;
    catchUp();
  };

  /** A client that (re)joins mid-race continues from what the host has credited. */
  const catchUp = () => {
    const ranking = view.ranking;
    if (!detector || t0 === null || !ranking || ranking.t < t0) return;
    const mine = ranking.entries.find((entry) => entry.playerId === playerId);
    if (!mine || !detector.catchUp(mine)) return;
    if (detector.state.startAt !== null) raceStartedAt ??= detector.state.startAt;
    view.crossings = detector.state.next;
  };

  const onState = (state: StateMessage) => {
    view.state = state;
    const key = JSON.stringify([state.checkpoints, state.laps, state.circuit, state.startRule]);
    if (key !== trackKey && state.checkpoints.length >= 2) {
      trackKey = key;
      const track = trackFromState(state);
      detector = createLocalCourse(track, {
        ...(state.laps !== undefined ? { laps: state.laps } : {}),
        ...(state.startRule !== undefined ? { startRule: state.startRule } : {}),
        t0,
      });
      view.courseLength = detector.course.length;
      view.crossings = 0;
      catchUp();
      if (isRacer && options.simulate && !simulation) startSimulated(track);
    }
    if (state.t0 !== undefined) applyT0(state.t0);
    if (state.stage === 'post' && !view.ended) endRace('the race is over');
    redraw();
  };

  const onControl = (control: ControlMessage) => {
    switch (control.cmd) {
      case 'START':
        view.paused = false;
        applyT0(control.t0);
        note('START: the race begins when the countdown reaches zero', 'important');
        break;
      case 'PAUSE':
        view.paused = true;
        note(`PAUSE${control.reason ? `: ${control.reason}` : ''}`, 'warning');
        break;
      case 'RESUME':
        view.paused = false;
        if (control.t0 !== undefined) applyT0(control.t0);
        note('RESUME', 'important');
        break;
      case 'ABORT':
        note(`ABORT: ${control.reason}`, 'warning');
        endRace(`aborted: ${control.reason}`);
        break;
      case 'END':
        endRace(control.reason ? `the race is over (${control.reason})` : 'the race is over');
        break;
      case 'MSG':
        if (control.to === undefined || control.to === playerId)
          note(control.text, control.level ?? 'info');
        break;
      case 'RULING': {
        const who = control.playerId === playerId ? 'you' : control.playerId;
        const what = { dsq: 'disqualified', dnf: 'retired (DNF)', reinstate: 'reinstated' }[
          control.action
        ];
        note(
          `Ruling: ${who} ${what}${control.reason ? ` (${control.reason})` : ''}`,
          control.playerId === playerId ? 'important' : 'info',
        );
        break;
      }
      case 'SYNC_T0':
        break;
    }
  };

  const onRanking = (ranking: RankingMessage) => {
    view.ranking = ranking;
    const mine = ranking.entries.find((entry) => entry.playerId === playerId);
    if (mine) {
      outbox.credited(mine.checkpoints);
      view.unconfirmed = outbox.size;
      catchUp();
    }
    if (ranking.final) endRace('final results are in');
    redraw();
  };

  let sawState = false;
  client.on('message', (topic, payload) => {
    const decoded = decodeTopicMessage(topic, payload);
    if (!decoded.ok) {
      note(`ignored a bad message on ${topic}: ${decoded.error.message}`, 'warning');
      return;
    }
    const received = decoded.value;
    switch (received.kind) {
      case 'state':
        sawState = true;
        onState(received.message);
        break;
      case 'control':
        onControl(received.message);
        break;
      case 'ranking':
        onRanking(received.message);
        break;
      case 'pong': {
        const outcome = pingSync.receivePong(received.message, performance.now());
        if (outcome.used) view.lastRttMs = outcome.verdict.delayMs;
        break;
      }
      case 'chat':
        note(
          `${received.message.name ?? received.message.from ?? 'organizer'}: ${received.message.text}`,
        );
        break;
      default:
        break;
    }
  });

  await client.subscribeAsync({
    [buildTopic(raceId, 'state')]: { qos: 1 },
    [buildTopic(raceId, 'control')]: { qos: 1 },
    [buildTopic(raceId, 'ranking')]: { qos: 1 },
    [buildTopic(raceId, 'chat')]: { qos: 1 },
    [buildTopic(raceId, 'pong', playerId)]: { qos: 0 },
  });

  // 4. The race must exist: its state is retained on the hub.
  const waitedUntil = performance.now() + options.waitForRaceMs;
  while (!sawState && performance.now() < waitedUntil)
    await new Promise((resolve) => setTimeout(resolve, 50));
  if (!sawState) {
    for (const cleanup of cleanups) cleanup();
    throw new AppError(
      'NO_RACE',
      `no race "${raceId}" on ${options.broker} (no race state there)`,
      {
        hint: 'check the server code with the organizer; if the host has not started yet, try again in a moment',
      },
    );
  }

  // 5. Presence, pings.
  function sendPresence(event: 'join' | 'ready' | 'heartbeat' | 'leave') {
    const synced = estimator.estimate() !== undefined;
    const game = view.game === 'spectating' ? undefined : view.game;
    const status = !isRacer
      ? 'spectating'
      : view.ended
        ? 'finished'
        : t0 !== null && raceStartedAt !== undefined
          ? 'racing'
          : game === 'live' || game === 'simulated'
            ? synced
              ? 'ready'
              : 'waiting'
            : 'not-ready';
    const mapId = view.latest?.frame.context?.mapId;
    publish('presence', presenceTopic, {
      playerId,
      event,
      status,
      name: options.name,
      mode: options.mode,
      clientClock: estimator.localNow() / 1000,
      ver: `gw2race-racer/${options.version}`,
      ...(game !== undefined ? { game } : {}),
      ...(mapId !== undefined ? { mapId } : {}),
    });
  }
  sendPresence('join');
  timers.push(setInterval(() => sendPresence('heartbeat'), PRESENCE_EVERY_MS));

  const pingTopic = buildTopic(raceId, 'ping');
  let pings = 0;
  const schedulePing = () => {
    const raceRunning = view.clock?.countdown().started ?? false;
    const wait = pings < PING_BURST ? PING_BURST_MS : raceRunning ? PING_RACE_MS : PING_PRE_RACE_MS;
    timers.push(
      setTimeout(() => {
        pings++;
        const ping = pingSync.createPing();
        publish(
          'ping',
          pingTopic,
          view.lastRttMs === undefined ? ping : { ...ping, rttMs: view.lastRttMs },
        );
        schedulePing();
      }, wait),
    );
  };
  publish('ping', pingTopic, pingSync.createPing());
  schedulePing();

  // 6. The game (or the bot), positions and checkpoints.

  /**
   * The game wrote the block after the reader's previous poll and before it was read: stamp the
   * middle of that window, ± half of it (a late timer widens it honestly). Only called for a
   * sample with a previous poll (see onSample).
   */
  function sampleTime(sample: MumbleLinkSample) {
    const halfWindowMs = (sample.receivedAt - (sample.previousPollAt ?? sample.receivedAt)) / 2;
    const reference = estimator.referenceTime(sample.receivedAt - halfWindowMs);
    return {
      t: reference.timeMs / 1000,
      u: (halfWindowMs + Math.min(reference.boundMs, 60_000)) / 1000,
      halfWindowMs,
    };
  }

  function onSample(sample: MumbleLinkSample) {
    view.latest = sample;
    const p = sample.frame.avatar.position;
    // The game moves the avatar at ~25 Hz but ticks at ~60 Hz: only a changed position is a new sample.
    if (lastPosition && p.x === lastPosition.x && p.y === lastPosition.y && p.z === lastPosition.z)
      return;
    lastPosition = { x: p.x, y: p.y, z: p.z };
    lastSample = sample;
    // The first block read after the reader started may have been written any time before (a
    // loading screen, a paused game): it is sent only as a keep-alive stamped "now", never timed.
    if (sample.previousPollAt === null) {
      lastSentTick = sample.frame.tick;
      return;
    }
    if (!detector || t0 === null || view.ended) return;
    const { t, halfWindowMs } = sampleTime(sample);
    const crossings = detector.push({
      t,
      x: p.x,
      y: p.y,
      z: p.z,
      mapId: sample.frame.context?.mapId,
      mount: sample.frame.context?.mountIndex,
    });
    if (detector.state.startAt !== null) raceStartedAt ??= detector.state.startAt;
    for (const crossing of crossings) {
      // The crossing's time inherits the clock bound and the sample's stamping window.
      const boundS = (Math.min(estimator.referenceTime().boundMs, 60_000) + halfWindowMs) / 1000;
      const message = toCheckpointMessage(playerId, crossing, {
        raceId,
        clockBound: boundS,
        seq: checkpointSeq++,
      });
      outbox.add(message, crossing.index);
      view.crossings = crossing.index + 1;
      view.unconfirmed = outbox.size;
    }
  }

  function startSimulated(course: Track) {
    const line = options.simulate?.referenceLine;
    simulation = startSimulation({
      track: line ? { ...course, referenceLine: line } : course,
      name: options.name,
      seed: options.simulate?.seed ?? seedFrom(playerId),
      ...(options.simulate?.speed !== undefined ? { speed: options.simulate.speed } : {}),
      ...(options.simulate?.misbehave !== undefined
        ? { misbehave: options.simulate.misbehave }
        : {}),
      raceSeconds: () =>
        view.clock?.raceTime().raceMs !== undefined && view.clock
          ? view.clock.raceTime().raceMs / 1000
          : undefined,
    });
    cleanups.push(() => simulation?.stop());
    void startReader({ path: simulation.path });
  }

  async function startReader(where: { path?: string; name?: string }) {
    reader = createMumbleLinkReader({
      ...(where.path !== undefined
        ? { source: () => createFileSource({ path: where.path as string }), path: where.path }
        : {}),
      ...(where.name !== undefined ? { name: where.name } : {}),
      pollHz,
    });
    view.mumbleWhere = reader.description;
    reader.on('frame', onSample);
    reader.on('live', () => {
      if (!options.simulate) view.game = 'live';
      redraw();
    });
    reader.on('stale', () => {
      if (!options.simulate) view.game = 'stale';
      redraw();
    });
    reader.on('waiting', (change) => {
      view.game = 'absent';
      note(change.message, 'warning');
    });
    reader.on('error', (error: Error) => note(`MumbleLink: ${error.message}`, 'warning'));
    cleanups.push(() => void reader?.stop());
    await reader.start().catch((error: unknown) => {
      note(
        `cannot read MumbleLink: ${error instanceof Error ? error.message : String(error)}`,
        'warning',
      );
    });
  }

  if (isRacer && !options.simulate) {
    void startReader({
      ...(options.mumbleFile !== undefined ? { path: options.mumbleFile } : {}),
      ...(options.mumbleName !== undefined ? { name: options.mumbleName } : {}),
    });
  }

  if (isRacer) {
    timers.push(
      setInterval(() => {
        const sample = lastSample;
        if (!sample || view.ended || view.hub !== 'online') return;
        const now = performance.now();
        const fresh = sample.frame.tick !== lastSentTick;
        if (!fresh && now - lastSentAt < positionKeepAliveMs(detector?.course.gapSeconds)) return;
        lastSentTick = sample.frame.tick;
        lastSentAt = now;
        const p = sample.frame.avatar.position;
        // An unchanged position re-sent as a keep-alive is where the racer is now.
        const { t, u } = fresh
          ? sampleTime(sample)
          : {
              t: estimator.now() / 1000,
              u: Math.min(estimator.referenceTime().boundMs, 60_000) / 1000,
            };
        const mapId = sample.frame.context?.mapId;
        const mount = sample.frame.context?.mountIndex;
        publish(
          'pos',
          posTopic,
          {
            playerId,
            t,
            x: p.x,
            y: p.y,
            z: p.z,
            v: Math.round(sample.speed * 1000) / 1000,
            ...(mapId !== undefined ? { mapId } : {}),
            ...(mount !== undefined ? { mount } : {}),
            tick: sample.frame.tick,
            u: Math.round(u * 10000) / 10000,
          },
          options.codec,
        );
      }, 1000 / options.positionRate),
    );
    timers.push(
      setInterval(() => {
        outbox.tick();
        view.unconfirmed = outbox.size;
      }, 500),
    );
  }

  timers.push(setInterval(redraw, 200));
  redraw();

  function endRace(why: string) {
    if (view.ended) return;
    view.ended = why;
    redraw();
    if (!options.stay) {
      // Give the final ranking a moment to arrive, then leave.
      endTimer = setTimeout(() => finish(0), view.ranking?.final ? 300 : 3000);
    }
  }

  const onSignal = () => finish(130);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const code = await finished;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (endTimer) clearTimeout(endTimer);
  for (const timer of timers) clearTimeout(timer);
  redraw();
  screen.close();
  if (client.connected) {
    sendPresence('leave');
    await closeClient(client);
  }
  for (const cleanup of cleanups) cleanup();
  if (refusal) throw refusal;
  return code;
}
