import type { FlagMessage, RacerStatus } from '@gw2race/protocol';
import type { Crossing } from './advance-course';
import type { RacePhase } from './race-state';

/** Something that happened, as data. The caller decides what to publish or show. */
export type EngineEvent =
  /** The race changed phase (START, PAUSE, RESUME, END, ABORT, or a new t0). */
  | {
      readonly type: 'race';
      readonly phase: RacePhase;
      readonly t0: number | null;
      readonly at: number;
      readonly reason?: string;
    }
  /** A racer appeared (first message about them). */
  | { readonly type: 'racer-added'; readonly playerId: string; readonly at: number }
  /** A racer's clock started (mass start: at t0; time trial: on leaving the start). */
  | { readonly type: 'started'; readonly playerId: string; readonly t: number }
  /** A time-trial racer went back into the start before the first checkpoint: clock reset. */
  | { readonly type: 'rearmed'; readonly playerId: string; readonly t: number }
  /** A checkpoint was credited. `raceTime` is seconds since the racer's start. */
  | {
      readonly type: 'checkpoint';
      readonly playerId: string;
      readonly crossing: Crossing;
      readonly raceTime: number;
    }
  /** A lap was completed. */
  | {
      readonly type: 'lap';
      readonly playerId: string;
      readonly lap: number;
      readonly lapTime: number;
      readonly raceTime: number;
      readonly t: number;
    }
  /** A racer finished; `time` is their total race time. */
  | {
      readonly type: 'finished';
      readonly playerId: string;
      readonly time: number;
      readonly t: number;
    }
  /** A racer's ranking status changed. */
  | {
      readonly type: 'status';
      readonly playerId: string;
      readonly from: RacerStatus;
      readonly to: RacerStatus;
    }
  /** A flag was raised for the organizer. */
  | { readonly type: 'flag'; readonly flag: FlagMessage }
  /** A client-reported checkpoint matched the stream within its uncertainty. */
  | {
      readonly type: 'report-confirmed';
      readonly playerId: string;
      readonly cp: number;
      readonly lap: number;
      /** Reported minus stream time, s. */
      readonly difference: number;
    }
  /** A racer moved in the ranking (others shift by one between `from` and `to`). */
  | {
      readonly type: 'ranking-changed';
      readonly playerId: string;
      readonly from: number;
      readonly to: number;
    };
