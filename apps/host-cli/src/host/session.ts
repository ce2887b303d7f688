import { writeFile } from 'node:fs/promises';
import type { OffsetEstimator } from '@gw2race/clock-sync';
import { createPongResponder } from '@gw2race/clock-sync';
import {
  buildTopic,
  type Channel,
  decodeTopicMessage,
  encodeMessage,
  type FlagMessage,
  type MessageVerifier,
  type ReceivedMessage,
  type StartRule,
  type StateMessage,
  TOPIC_SETTINGS,
  type TopicMessage,
  type Track,
} from '@gw2race/protocol';
import {
  type ClientInfo,
  type CommandResult,
  createDirector,
  type DirectorEffect,
  type DirectorInput,
  type DirectorState,
  direct,
  getClient,
  hostSubscriptions,
  initialStateMessage,
  listClients,
  nameOf,
  type OrganizerCommand,
  readyRacers,
  rebuildDirector,
} from '@gw2race/race-director';
import {
  encodeResultsCsv,
  encodeSplitsCsv,
  type RaceResults,
  type RaceState,
  raceResults,
} from '@gw2race/race-engine';
import type { ReplayWriter } from '@gw2race/replay-format';
import { createReplayFileWriter } from '@gw2race/replay-format/node';
import type { MqttClient } from 'mqtt';
import { anotherHostError, type HostIdentity, keepsAuthority } from './authority';
import type { ResumePoint } from './resume-recording';

/** Options of {@link createHostSession}. */
export interface HostSessionOptions {
  client: MqttClient;
  /**
   * A closed race: every message of a client channel must pass it (signature and seq) before the
   * director sees it; refusals are counted in `counters.unverified` and become director inputs.
   */
  verifier?: MessageVerifier | undefined;
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
  /** A dropped racer still counts as racing for this many seconds (the director's default: 30). */
  rejoinGrace?: number;
  /** Seconds between unchanged republishes of the state; 0: only on request (the director's default: 5). */
  stateRepublish?: number;
  /** Where the recording and results go. */
  outDir: string;
  /** The organizer's clock. */
  clock: OffsetEstimator;
  version: string;
  /** Something worth a line on the screen. */
  log: (line: string) => void;
  /** The state changed (redraw). */
  changed: () => void;
  /**
   * The race's unfinished recording (a host restarted after a crash): the director is rebuilt
   * from it and the race goes on, recorded in the same file.
   */
  resume?: ResumePoint | undefined;
  /**
   * This host process, named in every state it publishes. With it the host listens to the
   * race's state: another host's (another id) makes the one that started later stand down.
   */
  host?: HostIdentity | undefined;
  /** This host stood down: another host directs the race on this hub (it publishes no more). */
  onAnotherHost?: (error: Error) => void;
  /** The race is the `race`-th of a tournament of `races` (its state says so). */
  tournament?: { race: number; races: number } | undefined;
}

/** How a resumed race came back. */
export interface ResumeInfo {
  /** Organizer clock (epoch s) when the race went on. */
  readonly at: number;
  /** Seconds on the organizer clock from the last thing recorded to the resume. */
  readonly away: number;
  /** Lines read back from the recording. */
  readonly entries: number;
  /** A cut-off last member (the messages of up to one member before the crash) was dropped. */
  readonly truncated: boolean;
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

/**
 * The organizer's host: the race director (`@gw2race/race-director`) wired to the hub, the
 * clock, the recording and the results files. Decodes what the hub delivers, answers pings,
 * feeds the director, and carries out its effects; every rule is the director's.
 */
export class HostSession {
  readonly options: HostSessionOptions;
  /**
   * `unverified`: messages a closed race's gate refused (unsigned, forged, moved, replayed, not
   * invited; per player in {@link refusedBy});
   * `malformed`: messages the host refused (bad encoding, schema, size); `hubRefused`: publishes
   * the embedded hub refused (forged host channels, another player's positions, other races).
   */
  readonly counters = { messages: 0, malformed: 0, positions: 0, hubRefused: 0, unverified: 0 };
  readonly problems = new Map<string, number>();
  recordingPath = '';
  /** Set when the race was resumed from its recording. */
  resumed: ResumeInfo | undefined;
  /**
   * Resolves when the race is over and the results are written. The recording stays open for
   * rulings after the end (each writes the results again) until {@link close}.
   */
  readonly done: Promise<HostOutcome>;
  private director: DirectorState | undefined;
  /** Stood down for another host: nothing is published any more. */
  private silenced = false;
  private writer!: ReplayWriter;
  private timer: NodeJS.Timeout | undefined;
  private readonly pong;
  private resolveDone!: (outcome: HostOutcome) => void;
  /** The results as last written (the final ones once a ruling after the end amended them). */
  private outcome: HostOutcome | undefined;
  /** Writes of the results files, one after the other. */
  private writing: Promise<void> = Promise.resolve();
  private closing: Promise<HostOutcome | undefined> | undefined;

  constructor(options: HostSessionOptions) {
    this.options = options;
    // The pong states the host clock's resolution, so racers count it into their bound.
    const precisionMs = options.clock.clock?.resolutionMs;
    this.pong = createPongResponder({
      now: () => options.clock.now(),
      ...(precisionMs !== undefined && precisionMs > 0 ? { precisionMs } : {}),
    });
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  private get state(): DirectorState {
    if (!this.director) throw new Error('the host session is not started');
    return this.director;
  }

  /** The race engine's state. */
  get engine(): RaceState {
    return this.state.engine;
  }
  get stage(): DirectorState['stage'] {
    return this.state.stage;
  }
  /** The announced start instant (organizer clock, epoch s), or null. */
  get t0(): number | null {
    return this.state.engine.t0;
  }
  get paused(): boolean {
    return this.state.paused;
  }
  get endReason(): string | undefined {
    return this.state.endReason;
  }
  get flags(): readonly FlagMessage[] {
    return this.state.flags;
  }
  /** Every client heard from, in order of arrival. */
  clientList(): ClientInfo[] {
    return listClients(this.state.clients);
  }
  client(playerId: string): ClientInfo | undefined {
    return getClient(this.state.clients, playerId);
  }
  nameOf(playerId: string): string {
    return nameOf(this.state, playerId);
  }
  /** Racers who are ready to start. */
  readyRacers(): ClientInfo[] {
    return readyRacers(this.state);
  }

  /** Organizer clock, epoch seconds. */
  now(): number {
    return this.options.clock.now() / 1000;
  }

  /**
   * Starts recording, opens the race (state, SYNC_T0, ticks), and subscribes. With `resume`,
   * rebuilds the director from the recording instead and goes on in the same file.
   */
  async start(): Promise<void> {
    const { client, raceId, resume } = this.options;
    const config = {
      raceId,
      track: this.options.track,
      name: this.options.name,
      laps: this.options.laps,
      startRule: this.options.startRule,
      ...(this.options.tournament ? { tournament: this.options.tournament } : {}),
    };
    const { path, writer } = resume ?? (await this.createRecording(config));
    this.writer = writer;
    this.recordingPath = path;
    const directorConfig = {
      ...config,
      startDelay: this.options.startDelay,
      autoStart: this.options.autoStart,
      timeLimit: this.options.timeLimit,
      finishTimeout: this.options.finishTimeout,
      rejoinGrace: this.options.rejoinGrace,
      stateRepublish: this.options.stateRepublish,
      recording: writer.header,
      host: this.options.host,
    };
    this.director = resume
      ? rebuildDirector(directorConfig, resume.entries)
      : createDirector(directorConfig);
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    const positionClients = this.options.positionClients ?? [];
    for (const positions of positionClients) {
      positions.on('message', (topic, payload) => this.onMessage(topic, payload));
    }
    if (resume) this.reopen(resume);
    else this.feed({ type: 'open', at: this.now() });
    await client.subscribeAsync({
      ...hostSubscriptions(raceId, { positionsPerPlayer: positionClients.length > 0 }),
      // Our own states come back too; another host's (another id) is a second authority.
      ...(this.options.host ? { [buildTopic(raceId, 'state')]: { qos: 1 as const } } : {}),
    });
  }

  /**
   * A state on the hub: ours (our id) or another host's. Of two, the one that started first
   * keeps the race; the other stops publishing at once and says so.
   */
  private onHostState(message: StateMessage): void {
    const me = this.options.host;
    const other = message.host;
    if (!me || !other || other.id === me.id || this.silenced) return;
    if (keepsAuthority(me, other)) {
      this.problem(
        `another host (${other.id}) publishes race ${this.options.raceId} on this hub; it started later and stands down`,
      );
      return;
    }
    this.silenced = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const error = anotherHostError(this.options.raceId, 'on this hub', other);
    this.options.log(error.message);
    this.options.onAnotherHost?.(error);
  }

  /** Closes the recording of a host that stood down (nothing more is judged or published). */
  async standDown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writer.close().catch(() => {});
  }

  private async createRecording(config: Parameters<typeof initialStateMessage>[0]) {
    return createReplayFileWriter(this.options.outDir, {
      raceId: config.raceId,
      createdAt: this.now(),
      track: this.options.track,
      state: initialStateMessage(config),
      laps: this.options.laps,
      meta: { tournament: this.options.name, host: `gw2race-host ${this.options.version}` },
    });
  }

  /**
   * Goes on live after the rebuild. The time away is measured on the organizer clock (the
   * race's reference, disciplined by SNTP in both runs), from the last thing recorded.
   */
  private reopen(resume: ResumePoint): void {
    const at = this.now();
    const state = this.state;
    this.resumed = {
      at,
      away: state.lastRecordAt > 0 ? at - state.lastRecordAt : 0,
      entries: resume.entries.length,
      truncated: resume.report.truncated,
    };
    if (state.stage === 'post') {
      // It crashed while closing: the race was over; close the recording, write the results.
      this.options.log('the race had ended before the host stopped: writing its results');
      this.queueResults();
      return;
    }
    this.feed({ type: 'reopen', at });
  }

  /** Feeds the director one input and carries out its effects, in order. */
  private feed(input: DirectorInput): readonly DirectorEffect[] {
    const [next, effects] = direct(this.state, input);
    this.director = next;
    for (const effect of effects) this.run(effect);
    return effects;
  }

  private run(effect: DirectorEffect): void {
    if (this.silenced) return;
    switch (effect.type) {
      case 'publish':
        this.options.client.publish(effect.topic, Buffer.from(effect.payload), {
          qos: effect.qos,
          retain: effect.retain,
        });
        return;
      case 'record':
        try {
          this.writer.append(effect.entry);
        } catch (error) {
          this.problem(`recording: ${error instanceof Error ? error.message : String(error)}`);
        }
        return;
      case 'flush':
        void this.writer
          .flush()
          .catch((error: unknown) => this.problem(`recording: ${String(error)}`));
        return;
      case 'log':
        this.options.log(effect.line);
        return;
      case 'schedule':
        this.schedule(effect.at);
        return;
      case 'follow':
        this.followPositions(effect.playerId, effect.topic);
        return;
      case 'reply':
        return;
      case 'ended':
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.queueResults();
        return;
      case 'amended':
        this.queueResults();
        return;
    }
  }

  /** One timer: the director's latest wake-up request replaces the one before. */
  private schedule(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    const delayMs = Math.max(0, (at - this.now()) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.feed({ type: 'tick', at: this.now() });
      this.options.changed();
    }, delayMs);
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

  /**
   * A message from the hub, decoded; in a closed race a client's message also verified (its
   * signature and seq), at once and in arrival order, with `at` taken before: a slow host delays
   * the judgement, never changes it. A refusal is counted, logged and given to the director.
   */
  private admit(topic: string, payload: Buffer, at: number): TopicMessage | undefined {
    const { verifier } = this.options;
    const channel = topic.split('/')[2] as Channel;
    if (verifier && channel in TOPIC_SETTINGS && TOPIC_SETTINGS[channel].publisher !== 'host') {
      const verdict = verifier.verify(topic, payload);
      if (verdict.ok) return verdict.message;
      this.counters.unverified++;
      this.problem(`refused a message on ${topic} (${verdict.reason}): ${verdict.detail}`);
      const { reason, playerId, detail } = verdict;
      this.feed({ type: 'refused', at, playerId, reason, topic, detail });
      this.options.changed();
      return undefined;
    }
    const decoded = decodeTopicMessage(topic, payload);
    if (decoded.ok) return decoded.value;
    this.counters.malformed++;
    this.problem(`refused a message on ${topic}: ${decoded.error.message}`);
    return undefined;
  }

  /** Messages a closed race's gate refused, per player id (`''`: naming nobody). */
  refusedBy(): Readonly<Record<string, number>> {
    return this.state.refused;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const at = this.now();
    this.counters.messages++;
    const admitted = this.admit(topic, payload, at);
    if (!admitted) return;
    const decoded = { value: admitted };
    const { kind, message } = decoded.value;
    if (kind === 'state') {
      this.onHostState(message);
      return;
    }
    if (this.silenced) return;
    const playerId = decoded.value.topic.playerId;
    if (kind === 'ping') {
      // Answered at once: the pong's timing is the clock sample, not a rule.
      this.options.client.publish(
        buildTopic(this.options.raceId, 'pong', message.playerId),
        Buffer.from(encodeMessage('pong', this.pong(message, at * 1000))),
        { qos: 0 },
      );
    } else if (kind === 'pos') this.counters.positions++;
    const received = {
      kind,
      at,
      message,
      ...(playerId !== undefined ? { playerId } : {}),
    } as ReceivedMessage;
    const effects = this.feed({ type: 'message', received });
    if (kind === 'presence' || effects.some((e) => e.type !== 'record')) this.options.changed();
  }

  /** With position connections, subscribes to a new racer's stream on one of them (by a stable hash). */
  private followPositions(playerId: string, topic: string): void {
    const connections = this.options.positionClients ?? [];
    if (connections.length === 0) return;
    let hash = 0;
    for (let i = 0; i < playerId.length; i++) hash = (hash * 31 + playerId.charCodeAt(i)) >>> 0;
    const connection = connections[hash % connections.length] as MqttClient;
    connection.subscribe(topic, { qos: 0 }, (error) => {
      if (error) this.problem(`cannot subscribe to ${playerId}'s positions: ${error.message}`);
    });
  }

  /** Carries out an organizer command (web app, keys); says why when it cannot. */
  command(command: OrganizerCommand): CommandResult {
    const effects = this.feed({ type: 'command', at: this.now(), command });
    this.options.changed();
    const reply = effects.find((e) => e.type === 'reply');
    return reply?.type === 'reply' ? reply.result : { ok: false, error: 'no answer' };
  }

  /** Publishes START with t0 `delay` seconds from now (the start delay by default). */
  startRace(delay?: number): boolean {
    return this.command({ action: 'start', ...(delay !== undefined ? { delay } : {}) }).ok;
  }

  /** Holds the race; before t0 the countdown is called off. False when it cannot. */
  pause(): boolean {
    return this.command({ action: 'pause' }).ok;
  }

  /** Continues after {@link pause}; a held countdown starts again. False when it cannot. */
  resume(): boolean {
    return this.command({ action: 'resume' }).ok;
  }

  /** Ends the race: END, final ranking, state, then the recording and results files. */
  end(reason: string): Promise<HostOutcome> {
    if (this.director) this.command({ action: 'end', reason });
    return this.done;
  }

  /** Ends the race with ABORT: the results are marked aborted. */
  abort(reason: string): Promise<HostOutcome> {
    if (this.director) this.command({ action: 'abort', reason });
    return this.done;
  }

  /**
   * Closes the race for good: the recording is closed (what rulings after the end added is in
   * it) and the results are as last written. Resolves with them (undefined when the race never
   * ended); a second call gives the same.
   */
  close(): Promise<HostOutcome | undefined> {
    this.closing ??= (async () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      await this.writing;
      await this.writer.close();
      return this.outcome;
    })();
    return this.closing;
  }

  /** The results files are written after those before (an amendment waits for the first write). */
  private queueResults(): void {
    this.writing = this.writing
      .then(() => this.writeResults())
      .catch((error: unknown) =>
        this.problem(
          `writing the results: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  private async writeResults(): Promise<void> {
    // Written out, not closed: rulings after the end still go into the recording.
    await this.writer.flush();
    const results = raceResults(this.state.engine);
    const base = this.recordingPath.replace(/\.replay\.jsonl\.gz$/, '');
    const resultsJson = `${base}.results.json`;
    const resultsCsv = `${base}.results.csv`;
    const splitsCsv = `${base}.splits.csv`;
    await writeFile(resultsJson, `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(resultsCsv, encodeResultsCsv(results));
    await writeFile(splitsCsv, encodeSplitsCsv(results));
    const amended = this.outcome !== undefined;
    this.outcome = { recording: this.recordingPath, resultsJson, resultsCsv, splitsCsv, results };
    if (amended) this.options.log(`results written again after the ruling: ${resultsJson}`);
    this.resolveDone(this.outcome);
    this.options.changed();
  }
}

/** Creates a {@link HostSession}; call `start()`. */
export function createHostSession(options: HostSessionOptions): HostSession {
  return new HostSession(options);
}
