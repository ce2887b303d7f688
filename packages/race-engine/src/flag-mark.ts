import type { FlagKind, FlagSeverity } from '@gw2race/protocol';

/**
 * The flag kinds the engine raises: the protocol's {@link FlagKind}s (`false-start` among them:
 * a racer who set off before t0 or was not on the start at t0, mass starts).
 */
export type EngineFlagKind = FlagKind;

/** Where a flag comes from: the position stream or a client's checkpoint report. */
export type FlagSource = 'position' | 'report';

/**
 * The last flag raised for one kind and source (the cooldown's memory, kept on each racer).
 * A leaf of the package: the racer's state holds these and the flag raiser writes them, so the
 * type lives apart from both.
 */
export interface FlagMark {
  /** Stream time of the flag (host time for a report's). */
  readonly t: number;
  readonly severity: FlagSeverity;
  /** Flags of this kind and source raised so far (absent in marks of older states: 1). */
  readonly count?: number;
}
