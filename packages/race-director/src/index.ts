export type { ClientInfo, ClientTable } from './client-table';
export { getClient, listClients } from './client-table';
export { checkCommand } from './commands';
export { direct } from './direct';
export type {
  DirectorConfig,
  DirectorOption,
  OptionRange,
  RecordingLayout,
} from './director-config';
export {
  checkDirectorConfig,
  DIRECTOR_DEFAULTS,
  DIRECTOR_OPTION_RANGES,
  rangeProblem,
} from './director-config';
export type { DirectorEffect, PublishEffect } from './director-effect';
export type { CommandResult, DirectorInput, OrganizerCommand } from './director-input';
export type { DirectorStage, DirectorState } from './director-state';
export { createDirector, initialStateMessage } from './director-state';
export { endReasonAt } from './end-rules';
export type { RaceDirectorErrorCode } from './errors';
export { isRaceDirectorError, RACE_DIRECTOR_ERROR_CODES, RaceDirectorError } from './errors';
export { rebuildDirector } from './rebuild-director';
export type { PlacedEntry, RecordedOrder } from './recorded-order';
export { EMPTY_RECORDED_ORDER, placeEntry } from './recorded-order';
export { hostSubscriptions } from './subscriptions';
export { nameOf, readyRacers } from './views';
