import { writeFile } from 'node:fs/promises';
import type { OffsetEstimator } from '@gw2race/clock-sync';
import { createPongResponder } from '@gw2race/clock-sync';
import {
  buildTopic,
  type ControlMessage,
  decodeTopicMessage,
  encodeMessage,
  type FlagMessage,
  type MessageKind,
  type MessageOf,
  type PresenceMessage,
  presenceKind,
  type StartRule,
  type StateMessage,
  TOPIC_SETTINGS,
  type Track,
  topicFilter,
} from '@gw2race/protocol';
import {
  createRaceState,
  type EngineEvent,
  encodeResultsCsv,
  encodeSplitsCsv,
  engineInputOf,
  type RaceResults,
  type RaceState,
  raceResults,
  step,
  toRankingMessage,
} from '@gw2race/race-engine';
import type { ReplayEntry, ReplayWriter } from '@gw2race/replay-format';
import { createReplayFileWriter } from '@gw2race/replay-format/node';
import type { MqttClient } from 'mqtt';
import type { WebCommand, WebCommandResult } from '../web/web-server';
import { createRecordedOrder, type RecordedOrder } from './recorded-order';

/** A client the host has heard from. */
export interface ClientInfo {
  playerId: string;
  name: string | undefined;
  mode: 'racer' | 'spectator';
  status: string;
  game: string | undefined;
  connected: boolean;
  /**
   * Host clock (epoch s) when the connection dropped (the hub's last will, or silence); undefined
   * while connected and after a goodbye (`leave`). Within the rejoin grace a dropped racer is
   * still in the race.
   */
  droppedAt: number | undefined;
  /** Host clock (epoch s) of the last message. */
  lastSeen: number;
  rttMs: number | undefined;
  offsetBoundMs: number | undefined;
}

/** Options of {@link createHostSession}. */
export interface HostSessionOptions {
  client: MqttClient;
  /**
   * More connections that carry only position streams, one subscription per racer, spread over
   * them. Hubs that cap what one connection may receive (see the README) need them for big fields;
   * without them the main connection subscribes to every racer's positions with one wildcard.
   */
  positionClients?: readonly MqttClient[];
  raceId: string;
  track: Track;
  /** Tournament name. */
  name: string;
  laps: number;
  startRule: StartRule;
  /** Seconds between START and t0. */
  startDelay: number;
  /** Start once this many racers are ready. */
  autoStart: number | undefined;
  /** End the race this many seconds after t0. */
  timeLimit: number | undefined;
  /** End this many seconds after the first finisher. */
  finishTimeout: number | undefined;
  /**
   * A racer whose connection dropped (no goodbye) still counts as racing for this many seconds,
   * so the race does not end while the last racer reconnects. Default 30.
   */
  rejoinGrace?: number;
  /** Where the recording and results go. */
  outDir: string;
  /** The organizer's clock. */
  clock: OffsetEstimator;
  version: string;
  /** Something worth a line on the screen. */
  log: (line: string) => void;
  /** The state changed (redraw). */
  changed: () => void;
}

/** Where the results of a race were written. */
export interface HostOutcome {
  recording: string;
  resultsJson: string;
  resultsCsv: string;
  /** Every credited crossing: splits and sector times. */
  splitsCsv: string;
  results: RaceResults;
}

/** How often the ranking is published even when nothing changed. */
const RANKING_STEADY_MS = 1000;
/** At most this many ranking publishes per second when things change fast. */
const RANKING_MAX_HZ = 5;
/** With nothing received for this long, the host writes out what the recording has buffered (s). */
const IDLE_FLUSH_S = 1;
/** A client silent this long is shown as gone (presence comes every second). */
const SILENT_AFTER_S = 5;
/** Default of {@link HostSessionOptions.rejoinGrace} (s). */
export const DEFAULT_REJOIN_GRACE_S = 30;

/**
 * The organizer's host: the authority of one race. Takes every message from the hub, records it,
 * feeds the race engine, answers pings, publishes the state, the controls, the ranking and the
 * flags, and ends the race by the rules it was given.
 */
export class HostSession {
  readonly options: HostSessionOptions;
  engine: RaceState;
  readonly clients = new Map<string, ClientInfo>();
  readonly flags: FlagMessage[] = [];
  stage: 'pre' | 'active' | 'post' = 'pre';
  t0: number | null = null;
  paused = false;
  firstFinishAt: number | null = null;
  endReason: string | undefined;
  recordingPath = '';
  /**
   * `malformed`: messages the host refused (bad encoding, schema, size); `hubRefused`: publishes
   * the embedded hub refused (forged host channels, another player's positions, other races).
   */
  readonly counters = { messages: 0, malformed: 0, positions: 0, hubRefused: 0 };
  readonly problems = new Map<string, number>();
  private writer!: ReplayWriter;
  private rankingDirty = false;
  private recordingClosed = false;
  private order!: RecordedOrder;
  /** Something was recorded since the last flush, and when (organizer clock, s). */
  private unflushed = false;
  private lastAppendAt = 0;
  private lastRankingAt = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pong;
  private state: StateMessage;
  private ended: Promise<HostOutcome> | undefined;
  private resolveDone!: (outcome: HostOutcome) => void;
  /** Resolves when the race is over and the results are written. */
  readonly done: Promise<HostOutcome>;

  constructor(options: HostSessionOptions) {
    this.options = options;
    this.engine = createRaceState(options.track, {
      raceId: options.raceId,
      laps: options.laps,
      startRule: options.startRule,
    });
    // The pong states the host clock's resolution, so racers count it into their bound.
    const precisionMs = options.clock.clock?.resolutionMs;
    this.pong = createPongResponder({
      now: () => options.clock.now(),
      ...(precisionMs !== undefined && precisionMs > 0 ? { precisionMs } : {}),
    });
    this.state = {
      v: 1,
      raceId: options.raceId,
      trackId: options.track.id,
      trackName: options.track.name,
      name: options.name,
      ...(options.track.mapId !== undefined ? { mapId: options.track.mapId } : {}),
      checkpoints: options.track.checkpoints,
      ...(options.track.circuit !== undefined ? { circuit: options.track.circuit } : {}),
      laps: options.laps,
      startRule: options.startRule,
      t0: null,
      stage: 'pre',
      participants: [],
    };
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Organizer clock, epoch seconds. */
  now(): number {
    return this.options.clock.now() / 1000;
  }

  /** Starts recording, publishes the state, subscribes, and starts the race's timers. */
  async start(): Promise<void> {
    const { client, raceId, outDir } = this.options;
    const { path, writer } = await createReplayFileWriter(outDir, {
      raceId,
      createdAt: this.now(),
      track: this.options.track,
      state: this.state,
      laps: this.options.laps,
      meta: { tournament: this.options.name, host: `gw2race-host ${this.options.version}` },
    });
    this.writer = writer;
    this.order = createRecordedOrder(writer.header);
    this.recordingPath = path;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    const sharded = (this.options.positionClients?.length ?? 0) > 0;
    for (const positions of this.options.positionClients ?? []) {
      positions.on('message', (topic, payload) => this.onMessage(topic, payload));
    }
    await client.subscribeAsync({
      [buildTopic(raceId, 'presence')]: { qos: 1 },
      [buildTopic(raceId, 'checkpoints')]: { qos: 1 },
      ...(sharded ? {} : { [topicFilter(raceId, 'pos')]: { qos: 0 } }),
      [buildTopic(raceId, 'ping')]: { qos: 0 },
      [buildTopic(raceId, 'chat')]: { qos: 1 },
    });
    this.publishState();
    this.publishControl({ cmd: 'SYNC_T0', serverClock: this.now() });
    this.timers.push(setInterval(() => this.tick(), 250));
  }

  /** Publishes a message the host authors, records it, and feeds it to the engine when it is an input. */
  private publish<K extends MessageKind>(kind: K, topic: string, message: MessageOf<K>): void {
    const channel = topic.split('/')[2] as keyof typeof TOPIC_SETTINGS;
    const settings = TOPIC_SETTINGS[channel];
    this.options.client.publish(topic, Buffer.from(encodeMessage(kind, message)), {
      qos: settings.qos,
      retain: settings.retain,
    });
    if (kind !== 'pong') this.ingest({ kind, at: this.now(), message } as ReplayEntry);
  }

  private publishState(): void {
    this.state = {
      ...this.state,
      t0: this.t0,
      stage: this.stage,
      serverClock: this.now(),
      participants: [...this.clients.values()]
        .filter((c) => c.mode === 'racer')
        .map((c) => ({ playerId: c.playerId, ...(c.name !== undefined ? { name: c.name } : {}) })),
    };
    this.publish('state', buildTopic(this.options.raceId, 'state'), this.state);
  }

  private publishControl(control: ControlMessage): void {
    this.publish('control', buildTopic(this.options.raceId, 'control'), control);
  }

  /** The single path of every entry: recorded, then (quantized as the recording will give it back) judged. */
  private ingest(received: ReplayEntry): void {
    // Once the recording is closed the race is over: nothing more is judged.
    if (this.recordingClosed) return;
    const { entry, recorded } = this.order.place(received);
    try {
      this.writer.append(entry);
      this.unflushed = true;
      this.lastAppendAt = this.now();
    } catch (error) {
      this.problem(`recording: ${error instanceof Error ? error.message : String(error)}`);
    }
    const input = engineInputOf(recorded);
    if (!input) return;
    const [next, events] = step(this.engine, input);
    this.engine = next;
    this.onEvents(events);
  }

  /** The hub refused a client's publish: counted and logged like a malformed message. */
  hubRefused(clientId: string, topic: string, reason: string): void {
    this.counters.hubRefused++;
    this.problem(`the hub refused a publish on ${topic} from ${clientId}: ${reason}`);
  }

  private problem(what: string): void {
    const count = (this.problems.get(what) ?? 0) + 1;
    this.problems.set(what, count);
    if (count === 1 || count % 100 === 0)
      this.options.log(`${what}${count > 1 ? ` (×${count})` : ''}`);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const at = this.now();
    this.counters.messages++;
    const decoded = decodeTopicMessage(topic, payload);
    if (!decoded.ok) {
      this.counters.malformed++;
      this.problem(`refused a message on ${topic}: ${decoded.error.message}`);
      return;
    }
    const received = decoded.value;
    const playerId = received.topic.playerId;
    switch (received.kind) {
      case 'ping': {
        this.options.client.publish(
          buildTopic(this.options.raceId, 'pong', received.message.playerId),
          Buffer.from(encodeMessage('pong', this.pong(received.message, at * 1000))),
          { qos: 0 },
        );
        const info = this.clients.get(received.message.playerId);
        if (info) {
          info.rttMs = received.message.rttMs ?? info.rttMs;
          info.offsetBoundMs = received.message.boundMs ?? info.offsetBoundMs;
          info.lastSeen = at;
        }
        break;
      }
      case 'presence':
        this.onPresence(received.message, at);
        break;
      case 'pos': {
        this.counters.positions++;
        const info = this.clients.get(received.message.playerId);
        if (info) info.lastSeen = at;
        break;
      }
      case 'state':
      case 'control':
      case 'ranking':
      case 'pong':
      case 'flag':
        // Host channels: the hub's rules keep others off them; our own echoes are not subscribed.
        return;
      default:
        break;
    }
    this.ingest({
      kind: received.kind,
      at,
      message: received.message,
      ...(playerId !== undefined ? { playerId } : {}),
    } as ReplayEntry);
  }

  private onPresence(message: PresenceMessage, at: number): void {
    const kind = presenceKind(message);
    const known = this.clients.get(message.playerId);
    const info: ClientInfo = known ?? {
      playerId: message.playerId,
      name: message.name,
      mode: message.mode ?? 'racer',
      status: 'joined',
      game: undefined,
      connected: true,
      droppedAt: undefined,
      lastSeen: at,
      rttMs: undefined,
      offsetBoundMs: undefined,
    };
    info.lastSeen = at;
    if (message.name !== undefined) info.name = message.name;
    if (message.mode !== undefined) info.mode = message.mode;
    if (message.game !== undefined) info.game = message.game;
    info.status = message.status ?? kind;
    const wasConnected = info.connected;
    info.connected = kind !== 'leave' && kind !== 'disconnected';
    if (info.connected || kind === 'leave') info.droppedAt = undefined;
    else if (wasConnected || info.droppedAt === undefined) info.droppedAt = at;
    if (!known) {
      this.clients.set(message.playerId, info);
      this.followPositions(message.playerId);
      this.options.log(`${info.name ?? info.playerId} joined as ${info.mode}`);
      if (info.mode === 'racer' && this.stage === 'pre') this.publishState();
    } else if (wasConnected && !info.connected) {
      this.options.log(
        `${info.name ?? info.playerId} ${kind === 'leave' ? 'left' : 'disconnected'}`,
      );
    } else if (!wasConnected && info.connected) {
      this.options.log(`${info.name ?? info.playerId} is back`);
    }
    this.options.changed();
  }

  /** With position connections, subscribes to a new racer's stream on one of them (by a stable hash). */
  private followPositions(playerId: string): void {
    const connections = this.options.positionClients ?? [];
    if (connections.length === 0) return;
    let hash = 0;
    for (let i = 0; i < playerId.length; i++) hash = (hash * 31 + playerId.charCodeAt(i)) >>> 0;
    const connection = connections[hash % connections.length] as MqttClient;
    connection.subscribe(buildTopic(this.options.raceId, 'pos', playerId), { qos: 0 }, (error) => {
      if (error) this.problem(`cannot subscribe to ${playerId}'s positions: ${error.message}`);
    });
  }

  private onEvents(events: readonly EngineEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'flag':
          this.flags.push(event.flag);
          this.options.client.publish(
            buildTopic(this.options.raceId, 'flags'),
            Buffer.from(encodeMessage('flag', event.flag)),
            { qos: 1 },
          );
          this.ingest({ kind: 'flag', at: this.now(), message: event.flag });
          this.options.log(
            `FLAG ${event.flag.severity} ${event.flag.kind} ${event.flag.playerId}: ${event.flag.message}`,
          );
          break;
        case 'finished':
          this.firstFinishAt ??= this.now();
          this.options.log(`${this.nameOf(event.playerId)} finished in ${event.time.toFixed(3)} s`);
          this.rankingDirty = true;
          break;
        case 'checkpoint':
        case 'lap':
        case 'status':
        case 'started':
        case 'racer-added':
          this.rankingDirty = true;
          break;
        default:
          break;
      }
    }
    if (events.length > 0) this.options.changed();
  }

  nameOf(playerId: string): string {
    return this.clients.get(playerId)?.name ?? playerId;
  }

  /** Racers who are ready to start. */
  readyRacers(): ClientInfo[] {
    return [...this.clients.values()].filter(
      (c) => c.mode === 'racer' && c.connected && c.status === 'ready',
    );
  }

  /** Publishes START with t0 `delay` seconds from now. */
  startRace(delay = this.options.startDelay): void {
    if (this.stage !== 'pre') return;
    this.t0 = Math.round((this.now() + delay) * 1000) / 1000;
    this.stage = 'active';
    this.publishControl({ cmd: 'START', t0: this.t0, serverClock: this.now() });
    this.publishState();
    this.options.log(`START: the race starts in ${delay} s`);
    this.rankingDirty = true;
  }

  /** Sends a message to every racer's screen (or one player's). */
  announce(text: string, to?: string): void {
    this.publishControl({ cmd: 'MSG', text, level: 'important', ...(to ? { to } : {}) });
    this.options.log(`message sent: ${text}`);
  }

  togglePause(): void {
    if (this.paused) this.resume();
    else this.pause();
  }

  /**
   * Holds the race. Before t0 the countdown is called off (the engine forgets t0, and so does the
   * state racers see); {@link resume} then starts a new one.
   */
  pause(): boolean {
    if (this.stage !== 'active' || this.paused) return false;
    this.paused = true;
    this.publishControl({ cmd: 'PAUSE', at: this.now() });
    if (this.t0 !== null && this.engine.t0 === null) {
      this.t0 = null;
      this.publishState();
      this.options.log('PAUSE: the countdown is held; resume to start a new one');
    } else this.options.log('PAUSE');
    this.rankingDirty = true;
    return true;
  }

  /**
   * Continues after {@link pause}. When the pause held the countdown, RESUME carries a new t0,
   * the start delay from now.
   */
  resume(): boolean {
    if (this.stage !== 'active' || !this.paused) return false;
    this.paused = false;
    if (this.t0 === null) {
      const delay = this.options.startDelay;
      this.t0 = Math.round((this.now() + delay) * 1000) / 1000;
      this.publishControl({ cmd: 'RESUME', at: this.now(), t0: this.t0 });
      this.publishState();
      this.options.log(`RESUME: the race starts in ${delay} s`);
    } else {
      this.publishControl({ cmd: 'RESUME', at: this.now() });
      this.options.log('RESUME');
    }
    this.rankingDirty = true;
    return true;
  }

  /** Carries out an organizer command from the web app; says why when it cannot. */
  command(command: WebCommand): WebCommandResult {
    const refuse = (error: string): WebCommandResult => ({ ok: false, error });
    switch (command.action) {
      case 'start':
        if (this.stage !== 'pre') return refuse('the race has already started');
        this.startRace(command.delay);
        return { ok: true };
      case 'message':
        if (this.stage === 'post') return refuse('the race is over');
        this.announce(command.text, command.to);
        return { ok: true };
      case 'pause':
        return this.pause()
          ? { ok: true }
          : refuse(this.stage !== 'active' ? 'the race is not running' : 'already paused');
      case 'resume':
        return this.resume() ? { ok: true } : refuse('the race is not paused');
      case 'end':
        if (this.stage === 'post') return refuse('the race is already over');
        void this.end(command.reason ?? 'ended by the organizer');
        return { ok: true };
      case 'abort':
        if (this.stage === 'post') return refuse('the race is already over');
        void this.abort(command.reason ?? 'aborted by the organizer');
        return { ok: true };
      case 'ruling':
        if (!this.engineKnows(command.playerId))
          return refuse(`no racer "${command.playerId}" in this race`);
        this.rule(command.playerId, command.ruling, command.reason);
        return { ok: true };
    }
  }

  private engineKnows(playerId: string): boolean {
    return toRankingMessage(this.engine, { splits: false }).entries.some(
      (entry) => entry.playerId === playerId,
    );
  }

  /** An organizer's decision about a racer: published, recorded and judged like any command. */
  rule(playerId: string, action: 'dsq' | 'dnf' | 'reinstate', reason?: string): void {
    this.publishControl({
      cmd: 'RULING',
      playerId,
      action,
      at: this.now(),
      ...(reason ? { reason } : {}),
    });
    this.options.log(`ruling: ${action} ${this.nameOf(playerId)}${reason ? ` (${reason})` : ''}`);
    this.rankingDirty = true;
  }

  abort(reason: string): Promise<HostOutcome> {
    return this.end(reason, true);
  }

  private tick(): void {
    const now = this.now();
    for (const info of this.clients.values()) {
      if (info.connected && now - info.lastSeen > SILENT_AFTER_S) {
        info.connected = false;
        info.droppedAt = info.lastSeen;
        info.status = 'silent';
        this.options.log(`${info.name ?? info.playerId} went silent`);
      }
    }
    if (
      this.stage === 'pre' &&
      this.options.autoStart !== undefined &&
      this.readyRacers().length >= this.options.autoStart
    ) {
      this.startRace();
    }
    const sinceRanking = performance.now() - this.lastRankingAt;
    if (
      (this.rankingDirty && sinceRanking >= 1000 / RANKING_MAX_HZ) ||
      sinceRanking >= RANKING_STEADY_MS
    ) {
      this.publishRanking();
    }
    if (this.stage === 'active' && this.t0 !== null) this.checkEnd(now);
    // The writer cuts a member every few seconds of messages by itself; it has no timers, so when
    // messages stop, the host writes out what is buffered. (Flushing on every tick instead made a
    // member of each quarter second: files four times larger.)
    if (this.unflushed && this.stage !== 'post' && now - this.lastAppendAt >= IDLE_FLUSH_S) {
      this.unflushed = false;
      void this.writer
        .flush()
        .catch((error: unknown) => this.problem(`recording: ${String(error)}`));
    }
    this.options.changed();
  }

  private publishRanking(final = false): void {
    this.rankingDirty = false;
    this.lastRankingAt = performance.now();
    const ranking = toRankingMessage(this.engine, {
      t: this.now(),
      splits: true,
      ...(final ? { final: true } : {}),
    });
    for (const entry of ranking.entries) {
      const name = this.clients.get(entry.playerId)?.name;
      if (name !== undefined && entry.name === undefined) entry.name = name;
    }
    this.publish('ranking', buildTopic(this.options.raceId, 'ranking'), ranking);
  }

  private checkEnd(now: number): void {
    const t0 = this.t0 as number;
    if (this.options.timeLimit !== undefined && now >= t0 + this.options.timeLimit) {
      void this.end(`time limit of ${this.options.timeLimit} s reached`);
      return;
    }
    if (
      this.firstFinishAt !== null &&
      this.options.finishTimeout !== undefined &&
      now >= this.firstFinishAt + this.options.finishTimeout
    ) {
      void this.end(`${this.options.finishTimeout} s after the first finisher`);
      return;
    }
    if (now < t0) return;
    const grace = this.options.rejoinGrace ?? DEFAULT_REJOIN_GRACE_S;
    const entries = toRankingMessage(this.engine, { splits: false }).entries;
    const racing = entries.filter((entry) => {
      // Finished, DNF and DSQ are out; the engine calls a dropped racer `disconnected`.
      if (
        entry.status !== 'racing' &&
        entry.status !== 'waiting' &&
        entry.status !== 'disconnected'
      )
        return false;
      const info = this.clients.get(entry.playerId);
      // Unknown to presence (a bare MQTT client), connected, or dropped (without a goodbye) and
      // heard from less than `grace` ago: positions still coming count.
      return (
        info === undefined ||
        info.connected ||
        (info.droppedAt !== undefined && now - Math.max(info.droppedAt, info.lastSeen) < grace)
      );
    });
    if (entries.length > 0 && racing.length === 0) {
      const finished = entries.filter((e) => e.status === 'finished').length;
      void this.end(
        finished === entries.length ? 'every racer finished' : 'every racer finished or left',
      );
    }
  }

  /** Ends the race: END (or ABORT), final ranking, state, then the recording and results files. */
  end(reason: string, aborted = false): Promise<HostOutcome> {
    this.ended ??= this.finishRace(reason, aborted);
    return this.ended;
  }

  private async finishRace(reason: string, aborted: boolean): Promise<HostOutcome> {
    this.endReason = reason;
    this.publishControl(
      aborted ? { cmd: 'ABORT', reason } : { cmd: 'END', reason, at: this.now() },
    );
    this.publishRanking(!aborted);
    this.stage = 'post';
    this.publishState();
    for (const timer of this.timers) clearInterval(timer);
    this.options.log(`${aborted ? 'ABORT' : 'END'}: ${reason}`);
    this.recordingClosed = true;
    await this.writer.close();
    const results = raceResults(this.engine);
    const base = this.recordingPath.replace(/\.replay\.jsonl\.gz$/, '');
    const resultsJson = `${base}.results.json`;
    const resultsCsv = `${base}.results.csv`;
    const splitsCsv = `${base}.splits.csv`;
    await writeFile(resultsJson, `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(resultsCsv, encodeResultsCsv(results));
    await writeFile(splitsCsv, encodeSplitsCsv(results));
    const outcome = { recording: this.recordingPath, resultsJson, resultsCsv, splitsCsv, results };
    this.resolveDone(outcome);
    return outcome;
  }
}

/** Creates a {@link HostSession}; call `start()`. */
export function createHostSession(options: HostSessionOptions): HostSession {
  return new HostSession(options);
}
