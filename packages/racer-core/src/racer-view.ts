import type { Clock, OffsetEstimator, RaceClock } from '@gw2race/clock-sync';
import type { Codec, RankingMessage, StateMessage } from '@gw2race/protocol';
import type { CourseDefinition } from '@gw2race/race-engine';
import type { GameSample } from './game-sample';
import type { GameStatus } from './presence-status';
import type { HubStatus } from './racer-effect';

/** Options of `createRacerCore`. */
export interface RacerCoreOptions {
  /** The race (its server code). */
  raceId: string;
  /** This client's player id. */
  playerId: string;
  /** Display name, sent in presence. */
  name: string;
  /** Racing, or only watching (presence and pings only). */
  mode: 'racer' | 'spectator';
  /** No game: a bot plays (the game status reads `simulated`). Default false. */
  simulated?: boolean;
  /** Software and version, sent in presence as `ver`, e.g. `gw2race-racer/1.2.0`. */
  software: string;
  /** Encoding of position messages. Default `msgpack`. */
  codec?: Codec;
  /** Positions per second, 1 to 10 (the protocol's ceiling). Default 10. */
  positionRate?: number;
  /**
   * Where time comes from: its monotonic clock schedules and stamps, so it must be the clock of
   * the samples' `receivedAt`. Default: the estimator's clock, else clock-sync's `systemClock`.
   */
  clock?: Clock;
  /** The organizer-clock estimator. Default: a new one on `clock`. */
  estimator?: OffsetEstimator;
  /**
   * A closed race: every message gets a `seq` from one counter that starts at the wall clock's
   * Unix milliseconds when the core is made (so a restarted client numbers above its old
   * messages) and its publish effect says `sign: true`; the adapter signs it with the player key.
   * Default false.
   */
  sign?: boolean;
}

/** What a racer client knows: what its screen shows, and what tests look at. */
export interface RacerView<S extends GameSample = GameSample> {
  /** The hub connection. */
  readonly hub: HubStatus;
  /** The race's latest state. */
  readonly state: StateMessage | undefined;
  /** The race clock, once a start (`t0`) is known. */
  readonly clock: RaceClock | undefined;
  /** The organizer-clock estimate. */
  readonly estimator: OffsetEstimator;
  /** The last round trip of a ping used, ms. */
  readonly lastRttMs: number | undefined;
  /** The game telemetry. */
  readonly game: GameStatus;
  /** The latest game sample. */
  readonly latest: S | null;
  /** The host's latest ranking. */
  readonly ranking: RankingMessage | undefined;
  /** Crossings made (or credited by the host). */
  readonly crossings: number;
  /** Crossings the race needs (all laps), once the course is known. */
  readonly courseLength: number | undefined;
  /** The course the crossings are counted on (race-engine's compiled course), once known. */
  readonly course: CourseDefinition | undefined;
  /** Checkpoint reports the host has not credited yet. */
  readonly unconfirmed: number;
  /** The organizer paused the race. */
  readonly paused: boolean;
  /** Why the race is over for this client, once it is. */
  readonly ended: string | undefined;
  /** This racer's place in the tournament standings after this race (control `STANDING`). */
  readonly standing: TournamentStanding | undefined;
  /**
   * Where the tournament goes next (control `NEXT_RACE`): the next race's id and name, or
   * `raceId` undefined when the tournament is over. Undefined until the host says.
   */
  readonly nextRace: { readonly raceId: string | undefined; readonly name?: string } | undefined;
}

/** Where a racer stands in a tournament after a race. */
export interface TournamentStanding {
  readonly position: number;
  /** How many racers the standings rank. */
  readonly of: number;
  readonly points: number;
  /** Points scored in this race. */
  readonly racePoints: number;
  readonly tied: boolean;
}
