import type { RacerStatus } from '@gw2race/protocol';
import type { EngineEvent } from './engine-event';
import {
  compareRacers,
  createRacer,
  type EngineConfig,
  type RacePhase,
  type RacerState,
  type RaceState,
  racerStatus,
} from './race-state';
import type { RacerTable } from './racer-table';

const NO_EVENTS: readonly EngineEvent[] = Object.freeze([]);

/**
 * @internal The working copy of one `step`: starts from the state, copies what it changes (once
 * per step), collects events, and builds the next state.
 */
export class Draft {
  readonly base: RaceState;
  readonly now: number;
  config: EngineConfig;
  phase: RacePhase;
  raceId: string | undefined;
  t0: number | null;
  endedAt: number | null;
  endReason: string | undefined;
  deadline: number;
  index: ReadonlyMap<string, number>;
  order: readonly number[];
  events: EngineEvent[] | undefined;
  /** Racer count. */
  count: number;
  // The racer table's chunks: shared with the base state until the first change, then the
  // chunk list and each changed chunk are copied once per step.
  private chunks: readonly (readonly RacerState[])[];
  private copied: boolean[] | undefined;

  constructor(state: RaceState, at: number) {
    this.base = state;
    this.now = Math.max(at, state.now);
    this.config = state.config;
    this.phase = state.phase;
    this.raceId = state.raceId;
    this.t0 = state.t0;
    this.endedAt = state.endedAt;
    this.endReason = state.endReason;
    this.deadline = state.deadline;
    this.index = state.index;
    this.order = state.order;
    this.count = state.racers.size;
    this.chunks = state.racers.chunks;
  }

  racer(i: number): RacerState {
    return (this.chunks[i >>> 5] as readonly RacerState[])[i & 31] as RacerState;
  }

  set(i: number, racer: RacerState): void {
    this.writable(i >>> 5)[i & 31] = racer;
  }

  private writable(c: number): RacerState[] {
    let copied = this.copied;
    if (copied === undefined) {
      this.chunks = this.chunks.slice();
      copied = [];
      this.copied = copied;
    }
    const chunks = this.chunks as (readonly RacerState[])[];
    if (c === chunks.length) chunks.push([]);
    if (copied[c] !== true) {
      chunks[c] = (chunks[c] as readonly RacerState[]).slice();
      copied[c] = true;
    }
    return chunks[c] as RacerState[];
  }

  /** The racers as a table (the base state's when nothing changed). */
  table(): RacerTable<RacerState> {
    return this.copied === undefined ? this.base.racers : { size: this.count, chunks: this.chunks };
  }

  /** The racer's index, adding them (ranked unless `spectator`) if new. */
  ensure(playerId: string, spectator = false): number {
    const known = this.index.get(playerId);
    if (known !== undefined) return known;
    const i = this.count;
    const index = new Map(this.index);
    index.set(playerId, i);
    this.index = index;
    const racer = spectator ? { ...createRacer(playerId), spectator: true } : createRacer(playerId);
    this.writable(i >>> 5).push(racer);
    this.count = i + 1;
    if (!spectator) this.insert(i);
    this.emit({ type: 'racer-added', playerId, at: this.now });
    return i;
  }

  emit(event: EngineEvent): void {
    if (this.events === undefined) this.events = [event];
    else this.events.push(event);
  }

  statusOf(racer: RacerState): RacerStatus {
    return racerStatus(this, racer);
  }

  /** Emits a status event if `racer`'s status differs from `before`'s. */
  statusChange(before: RacerState, racer: RacerState, phaseBefore = this.phase): void {
    const from = racerStatus({ phase: phaseBefore }, before);
    const to = this.statusOf(racer);
    if (from !== to) this.emit({ type: 'status', playerId: racer.playerId, from, to });
  }

  /** Puts racer `i` where it belongs in the ranking after its key changed. */
  reposition(i: number): void {
    const from = this.order.indexOf(i);
    if (from < 0) {
      this.insert(i);
      return;
    }
    const racer = this.racer(i);
    const order = this.order;
    let to = from;
    while (to > 0 && compareRacers(racer, this.racer(order[to - 1] as number)) < 0) to--;
    if (to === from) {
      while (
        to < order.length - 1 &&
        compareRacers(racer, this.racer(order[to + 1] as number)) > 0
      ) {
        to++;
      }
    }
    if (to === from) return;
    const next = order.slice();
    next.splice(from, 1);
    next.splice(to, 0, i);
    this.order = next;
    this.emit({ type: 'ranking-changed', playerId: racer.playerId, from: from + 1, to: to + 1 });
  }

  insert(i: number): void {
    const racer = this.racer(i);
    const order = this.order;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRacers(this.racer(order[mid] as number), racer) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const next = order.slice();
    next.splice(lo, 0, i);
    this.order = next;
  }

  remove(i: number): void {
    const at = this.order.indexOf(i);
    if (at < 0) return;
    const next = this.order.slice();
    next.splice(at, 1);
    this.order = next;
  }

  finish(): readonly [RaceState, readonly EngineEvent[]] {
    const state: RaceState = {
      config: this.config,
      phase: this.phase,
      raceId: this.raceId,
      t0: this.t0,
      now: this.now,
      endedAt: this.endedAt,
      endReason: this.endReason,
      index: this.index,
      racers: this.table(),
      order: this.order,
      deadline: this.deadline,
      inputs: this.base.inputs + 1,
    };
    return [state, this.events ?? NO_EVENTS];
  }
}
