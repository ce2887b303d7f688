import {
  type Clock,
  createOffsetEstimator,
  type OffsetEstimator,
  systemClock,
} from '@gw2race/clock-sync';
import {
  chatSenderLabel,
  type FlagMessage,
  type PresenceMessage,
  presenceKind,
  type RankingMessage,
  type StateMessage,
  type TopicMessage,
  toEpochSeconds,
} from '@gw2race/protocol';

/** A racer's last known position. */
export interface LiveRacer {
  readonly playerId: string;
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly v: number | undefined;
  /** Organizer-clock epoch s of the sample. */
  readonly t: number;
  /** Local monotonic ms (`Clock.monotonicMs` of the race's clock) when it arrived. */
  readonly receivedAt: number;
}

/** A line of the race log (announcements, commands, flags, presence). */
export interface LogLine {
  /**
   * Local monotonic ms when it arrived; for a line from the recording ({@link source}
   * `'recording'`), organizer-clock epoch ms when the host received it.
   */
  readonly at: number;
  /**
   * Epoch ms to show the time of day: the local wall clock when it arrived, or the organizer's
   * clock when the host received it (a line from the recording).
   */
  readonly wall: number;
  readonly text: string;
  readonly level: 'info' | 'warning' | 'important';
  /** `'live'`: arrived on this page; `'recording'`: from the race's recording so far. */
  readonly source: 'live' | 'recording';
}

/** A recorded message as the race's recording gives it back (replay-format's `ReceivedMessage`). */
export interface RecordedMessage {
  readonly kind: string;
  /** Organizer clock (epoch s) when the host received it. */
  readonly at: number;
  readonly message: unknown;
}

/** JSON with object keys sorted: the same message gives the same text however it was parsed. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The identity of a message for matching the live stream against the recording. */
export function messageKey(kind: string, message: unknown): string {
  return `${kind} ${stableJson(message)}`;
}

/** How many trail points each racer keeps (30 s at 10 Hz). */
export const TRAIL_LENGTH = 300;
const LOG_LENGTH = 200;

/**
 * What a spectator knows about a race, fed with the hub's messages. The one mutable object of
 * the live view (positions arrive at 10 Hz per racer; copying maps for each would be waste): the
 * view reads it on each animation frame, tests drive it with messages and a fake local clock.
 *
 * Every local time it keeps (arrivals, the end of the race) is read on the monotonic clock, so a
 * step of the computer's wall clock moves neither the race clock nor the staleness of positions.
 */
export class LiveRace {
  state: StateMessage | null = null;
  ranking: RankingMessage | null = null;
  t0: number | null = null;
  paused = false;
  ended: 'ended' | 'aborted' | null = null;
  /** Local monotonic ms END or ABORT arrived: the race clock stops there. */
  endedAt: number | null = null;
  readonly racers = new Map<string, LiveRacer>();
  /** Recent positions per racer, oldest first, as flat `[x, z, x, z, …]`. */
  readonly trails = new Map<string, number[]>();
  readonly names = new Map<string, string>();
  /**
   * The race's racers in the order the states first listed them (the host's order of arrival):
   * what race-map's `racerColor` picks colours by, so a replay of the race shows the same ones.
   */
  readonly field: string[] = [];
  private readonly inField = new Set<string>();
  readonly presence = new Map<string, { status: string; mode: string | undefined; at: number }>();
  /** The log shown: the recording's lines so far (see {@link loadHistory}), then the live ones. */
  log: LogLine[] = [];
  /** Bumped whenever {@link log} changes (a line added, the history merged in). */
  logVersion = 0;
  /** Lines that arrived on this page, with the key of the message each came from. */
  private readonly liveLines: { line: LogLine; key: string; retained: boolean }[] = [];
  /** Messages of the recording not yet matched by a live one: key → their receive times, in order. */
  private unmatched = new Map<string, number[]>();
  /** The message being applied (its key is computed only when it makes a log line). */
  private current: { kind: string; message: unknown; retained: boolean } | undefined;
  /** Organizer epoch s (less the clock's bound) from which live messages were sent: see {@link markSubscribed}. */
  private liveFrom = Number.NEGATIVE_INFINITY;
  readonly flags: FlagMessage[] = [];
  /** Messages applied, and refused by the decoder. */
  received = 0;
  rejected = 0;

  /**
   * The organizer's clock as this page knows it: fed with round-trip samples by the app (the
   * host's `GET /api/time`), read on {@link localClock}. Before the first sample the race clock
   * runs on the local clock.
   */
  readonly clock: OffsetEstimator;

  constructor(
    readonly raceId: string,
    readonly localClock: Clock = systemClock,
    estimator?: OffsetEstimator,
  ) {
    this.clock = estimator ?? createOffsetEstimator({ clock: localClock });
  }

  /**
   * Applies a message arriving now (read on {@link localClock}); `retained` when the hub handed
   * it over on subscribing (MQTT's retain flag) rather than as it was sent.
   */
  receive(decoded: TopicMessage, options: { retained?: boolean } = {}): void {
    this.apply(decoded, this.localClock.monotonicMs(), this.localClock.wallMs(), options.retained);
  }

  /**
   * Notes that the page subscribed now: a message that then arrives live (not retained) was
   * received by the host from this instant on, less the organizer clock's bound and a second for
   * the way through the hub. Only a recorded message from then on can be the same one.
   */
  markSubscribed(): void {
    const now = this.clock.referenceTime(this.localClock.monotonicMs());
    const bound = Number.isFinite(now.boundMs) ? now.boundMs : Number.POSITIVE_INFINITY;
    this.liveFrom = (now.timeMs - bound - 1000) / 1000;
  }

  /** Race time (s) now, or null before START. */
  raceTimeNow(): number | null {
    return this.raceTime(this.localClock.monotonicMs());
  }

  /** Seconds since a racer's last position arrived (monotonic). */
  ageOf(racer: LiveRacer): number {
    return (this.localClock.monotonicMs() - racer.receivedAt) / 1000;
  }

  /** Name to show for a player. */
  nameOf(playerId: string): string {
    return this.names.get(playerId) ?? playerId;
  }

  /** The organizer's `color` for a player, if any. */
  colorOf(playerId: string): string | undefined {
    return this.state?.participants?.find((p) => p.playerId === playerId)?.color;
  }

  /** Race time (s) at local monotonic time `localMs`, or null before START. */
  raceTime(localMs: number): number | null {
    if (this.t0 === null) return null;
    const at = Math.min(localMs, this.endedAt ?? localMs);
    return this.clock.referenceTime(at).timeMs / 1000 - this.t0;
  }

  private wallNow = 0;

  private note(at: number, text: string, level: LogLine['level'] = 'info') {
    const line: LogLine = { at, wall: this.wallNow, text, level, source: 'live' };
    const current = this.current;
    const key = current ? messageKey(current.kind, current.message) : '';
    const retained = current?.retained ?? false;
    this.liveLines.push({ line, key, retained });
    if (this.liveLines.length > LOG_LENGTH) this.liveLines.splice(0, 1);
    // A message the recording already had (a retained one, or one the host recorded before the
    // page fetched it) is in the history: not shown twice.
    if (this.consume(key, retained)) return;
    this.log.push(line);
    if (this.log.length > LOG_LENGTH) this.log.splice(0, this.log.length - LOG_LENGTH);
    this.logVersion++;
  }

  /**
   * Takes the recorded message a live one is, if the recording has it: for a retained message
   * the latest recorded with its key, else the first recorded since the page subscribed (an
   * announcement made again later is a new line). True when one was taken.
   */
  private consume(key: string, retained: boolean): boolean {
    const times = this.unmatched.get(key);
    if (!times) return false;
    const i = retained ? times.length - 1 : times.findIndex((at) => at >= this.liveFrom);
    if (i < 0) return false;
    times.splice(i, 1);
    if (times.length === 0) this.unmatched.delete(key);
    return true;
  }

  /**
   * Puts the race's history so far in the log, for a page opened (or reloaded) after events: the
   * messages of the host's recording as it stands (`GET /api/recording`), in the order the host
   * received them, with the time of day it received them. A message that also arrived live (a
   * retained one, or one both recorded and delivered around the fetch) is shown once. Loading a
   * newer recording again replaces the history. Only the log and names change: the race's state,
   * ranking and positions stay what the hub said last.
   */
  loadHistory(messages: Iterable<RecordedMessage>): void {
    const scratch = new LiveRace(this.raceId, this.localClock);
    const counts = new Map<string, number[]>();
    for (const entry of messages) {
      if (entry.kind === 'pos') continue;
      const decoded = {
        kind: entry.kind,
        topic: { raceId: this.raceId },
        message: entry.message,
      } as unknown as TopicMessage;
      scratch.apply(decoded, entry.at * 1000, entry.at * 1000);
      const key = messageKey(entry.kind, entry.message);
      const times = counts.get(key) ?? [];
      times.push(entry.at);
      counts.set(key, times);
    }
    for (const [id, name] of scratch.names) if (!this.names.has(id)) this.names.set(id, name);
    const history = scratch.log.map((line) => ({ ...line, source: 'recording' as const }));
    this.unmatched = counts;
    const live = this.liveLines
      .filter(({ key, retained }) => !this.consume(key, retained))
      .map(({ line }) => line);
    this.log = [...history, ...live].slice(-LOG_LENGTH);
    this.logVersion++;
  }

  /**
   * Applies one decoded message that arrived at local monotonic time `localMs` (and wall time
   * `wallMs`, shown in the log); `retained` as for {@link receive}.
   */
  apply(
    decoded: TopicMessage,
    localMs: number,
    wallMs = this.localClock.wallMs(),
    retained = false,
  ): void {
    if (decoded.topic.raceId !== this.raceId) return;
    this.wallNow = wallMs;
    this.current = { kind: decoded.kind, message: decoded.message, retained };
    this.received++;
    switch (decoded.kind) {
      case 'state':
        this.applyState(decoded.message);
        return;
      case 'ranking':
        this.applyRanking(decoded.message);
        return;
      case 'pos': {
        const m = decoded.message;
        const t = toEpochSeconds(m.t, this.t0);
        if (t === undefined) return;
        this.racers.set(m.playerId, {
          playerId: m.playerId,
          x: m.x,
          y: m.y,
          z: m.z,
          v: m.v,
          t,
          receivedAt: localMs,
        });
        const trail = this.trails.get(m.playerId) ?? [];
        this.trails.set(m.playerId, trail);
        trail.push(m.x, m.z);
        if (trail.length > TRAIL_LENGTH * 2) trail.splice(0, trail.length - TRAIL_LENGTH * 2);
        return;
      }
      case 'presence':
        this.applyPresence(decoded.message, localMs);
        return;
      case 'control': {
        const m = decoded.message;
        if (m.cmd === 'START') {
          this.t0 = m.t0;
          this.paused = false;
          this.ended = null;
          this.endedAt = null;
          this.note(localMs, 'START', 'important');
        } else if (m.cmd === 'PAUSE') {
          this.paused = true;
          this.note(localMs, `PAUSE${m.reason ? `: ${m.reason}` : ''}`, 'warning');
        } else if (m.cmd === 'RESUME') {
          this.paused = false;
          if (m.t0 !== undefined) this.t0 = m.t0;
          this.note(localMs, 'RESUME', 'important');
        } else if (m.cmd === 'END') {
          this.ended = 'ended';
          this.endedAt = localMs;
          this.note(localMs, `END${m.reason ? `: ${m.reason}` : ''}`, 'important');
        } else if (m.cmd === 'ABORT') {
          this.ended = 'aborted';
          this.endedAt = localMs;
          this.note(localMs, `ABORT: ${m.reason}`, 'important');
        } else if (m.cmd === 'MSG') {
          const to = m.to ? ` (to ${this.nameOf(m.to)})` : '';
          this.note(localMs, `${m.text}${to}`, m.level ?? 'info');
        } else if (m.cmd === 'RULING') {
          this.note(
            localMs,
            `ruling: ${this.nameOf(m.playerId)} ${m.action.toUpperCase()}${m.reason ? ` (${m.reason})` : ''}`,
            'warning',
          );
        }
        return;
      }
      case 'flag': {
        const m = decoded.message;
        this.flags.push(m);
        if (this.flags.length > LOG_LENGTH) this.flags.splice(0, this.flags.length - LOG_LENGTH);
        this.note(
          localMs,
          `flag ${m.kind} (${m.severity}) ${this.nameOf(m.playerId)}: ${m.message}`,
          m.severity === 'critical' ? 'important' : 'warning',
        );
        return;
      }
      case 'chat': {
        const m = decoded.message;
        this.note(localMs, `${chatSenderLabel(m)}: ${m.text}`);
        return;
      }
      default:
        return;
    }
  }

  private applyState(m: StateMessage) {
    this.state = m;
    if (m.t0 !== undefined) this.t0 = m.t0;
    for (const p of m.participants ?? []) {
      if (p.name) this.names.set(p.playerId, p.name);
      if (!this.inField.has(p.playerId)) {
        this.inField.add(p.playerId);
        this.field.push(p.playerId);
      }
    }
    if (m.stage === 'post' && this.ended === null) this.ended = 'ended';
  }

  private applyRanking(m: RankingMessage) {
    // A retained ranking may be stale (from before a restart): it still shows who is where.
    this.ranking = m;
    for (const e of m.entries) if (e.name) this.names.set(e.playerId, e.name);
  }

  private applyPresence(m: PresenceMessage, localMs: number) {
    if (m.name) this.names.set(m.playerId, m.name);
    const kind = presenceKind(m);
    const before = this.presence.get(m.playerId);
    this.presence.set(m.playerId, { status: kind, mode: m.mode ?? before?.mode, at: localMs });
    if (!before && kind !== 'heartbeat')
      this.note(
        localMs,
        `${this.nameOf(m.playerId)} joined${m.mode === 'spectator' ? ' as spectator' : ''}`,
      );
    else if (before && before.status !== kind && (kind === 'disconnected' || kind === 'leave'))
      this.note(
        localMs,
        `${this.nameOf(m.playerId)} ${kind === 'leave' ? 'left' : 'disconnected'}`,
        'warning',
      );
  }
}
