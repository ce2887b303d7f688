import type { FlagMessage, StateMessage } from '@gw2race/protocol';
import { createRaceState, type RaceState } from '@gw2race/race-engine';
import { type ClientTable, emptyClientTable } from './client-table';
import { checkDirectorConfig, DIRECTOR_DEFAULTS, type DirectorConfig } from './director-config';
import { EMPTY_RECORDED_ORDER, type RecordedOrder } from './recorded-order';

/** The director's stage: before START, from START to the end, after the end. */
export type DirectorStage = 'pre' | 'active' | 'post';

/**
 * Everything the director knows. Immutable: {@link direct} returns a new one. The start instant
 * t0 is the engine's (`engine.t0`), never a second copy.
 */
export interface DirectorState {
  readonly config: DirectorConfig;
  /** The race engine's state: every judged input has gone through `step`. */
  readonly engine: RaceState;
  readonly stage: DirectorStage;
  /** The race is held (PAUSE); before t0 the countdown is called off as well. */
  readonly paused: boolean;
  /** Host clock (epoch s) of the first finish. */
  readonly firstFinishAt: number | null;
  /** Why the race ended, once it has. */
  readonly endReason: string | undefined;
  readonly aborted: boolean;
  /**
   * The post-race state is recorded: nothing a client says is recorded or judged any more; the
   * organizer's rulings still are, each with the final ranking it changes.
   */
  readonly closed: boolean;
  readonly clients: ClientTable;
  /** Every flag raised, in order. */
  readonly flags: readonly FlagMessage[];
  /** Messages a closed race's gate refused, per player id (`''`: naming nobody). */
  readonly refused: Readonly<Record<string, number>>;
  /** The last state message published (what racers see, retained on the hub). */
  readonly stateMessage: StateMessage;
  /** Host clock (epoch s) of the last state publish; null before the first. */
  readonly stateAt: number | null;
  /** Host clock (epoch s) of the last answer to a request for the state; null before the first. */
  readonly answeredAt: number | null;
  /** A request for the state came too soon after the last answer: answered when one is due. */
  readonly stateWanted: boolean;
  /** The state changed too soon after the last publish: published when one is due. */
  readonly stateDirty: boolean;
  /** Messages refused because the race had its {@link DirectorConfig.maxPlayers} already. */
  readonly fullRefusals: number;
  /** Joins that expired to make room for a newcomer in a full race. */
  readonly expiredJoins: number;
  /** Messages the host authored but did not send: its clients would refuse them (schema, size). */
  readonly unsent: number;
  /** Where the recording stands on its time grid. */
  readonly order: RecordedOrder;
  /** Something changed the ranking since it was last published. */
  readonly rankingDirty: boolean;
  /** Host clock (epoch s) of the last ranking publish; null before the first. */
  readonly rankingAt: number | null;
  /** Something was recorded since the last flush, and when (host clock, epoch s). */
  readonly unflushed: boolean;
  readonly lastRecordAt: number;
}

/** The state message of a race before anything happened: what the recording's header holds. */
export function initialStateMessage(
  config: Pick<DirectorConfig, 'raceId' | 'track' | 'name' | 'laps' | 'startRule' | 'tournament'>,
): StateMessage {
  const { track } = config;
  return {
    v: 1,
    raceId: config.raceId,
    trackId: track.id,
    trackName: track.name,
    name: config.name,
    ...(track.mapId !== undefined ? { mapId: track.mapId } : {}),
    checkpoints: track.checkpoints,
    ...(track.circuit !== undefined ? { circuit: track.circuit } : {}),
    laps: config.laps,
    startRule: config.startRule,
    t0: null,
    stage: 'pre',
    participants: [],
    ...(config.tournament !== undefined ? { tournament: config.tournament } : {}),
  };
}

/**
 * A director for one race, before it opens. Feed it `{ type: 'open' }` first, then messages,
 * ticks and commands through {@link direct}. Throws a `RaceDirectorError` (`INVALID_CONFIG`)
 * when a rule is out of range.
 *
 * @example
 * let director = createDirector({ raceId: 'abc123', track, name: 'Cup', laps: 1,
 *   startRule: 'mass', startDelay: 10, recording: writer.header });
 */
export function createDirector(config: DirectorConfig): DirectorState {
  checkDirectorConfig(config);
  return {
    config,
    engine: createRaceState(config.track, {
      raceId: config.raceId,
      laps: config.laps,
      startRule: config.startRule,
    }),
    stage: 'pre',
    paused: false,
    firstFinishAt: null,
    endReason: undefined,
    aborted: false,
    closed: false,
    clients: emptyClientTable(),
    flags: [],
    refused: {},
    stateMessage: initialStateMessage(config),
    stateAt: null,
    answeredAt: null,
    stateWanted: false,
    stateDirty: false,
    fullRefusals: 0,
    unsent: 0,
    expiredJoins: 0,
    order: EMPTY_RECORDED_ORDER,
    rankingDirty: false,
    rankingAt: null,
    unflushed: false,
    lastRecordAt: 0,
  };
}

/** The state republish interval in force (s); 0: only on request. */
export function stateRepublishOf(config: DirectorConfig): number {
  return config.stateRepublish ?? DIRECTOR_DEFAULTS.stateRepublish;
}

/** The most players the race takes. */
export function maxPlayersOf(config: DirectorConfig): number {
  return config.maxPlayers ?? DIRECTOR_DEFAULTS.maxPlayers;
}

/** The rejoin grace in force (s). */
export function rejoinGraceOf(config: DirectorConfig): number {
  return config.rejoinGrace ?? DIRECTOR_DEFAULTS.rejoinGrace;
}
