export { numberOption, parseCommandLine } from './args';
export type { AppErrorCode } from './errors';
export { APP_ERROR_CODES, AppError, isAppError, listenAddressError } from './errors';
export { formatCountdown, formatGap, formatMs, formatRaceTime, formatTable } from './format';
// The embedded hub (aedes, @gw2race/hub) is imported from '@gw2race/app-shared/hub', so the
// racer's bundle does not carry it.
export type { ConnectHubOptions } from './hub-connection';
export { connectHub, hubClientAppError, parseHubUrl } from './hub-connection';
export type { KeyInputStream, KeyListener, KeyPress } from './keys';
export { listenKeys } from './keys';
export { runMain } from './main';
export type { AskOptions } from './prompt';
export { ask, canPrompt } from './prompt';
export type { PasswordFlags } from './secrets';
export { PASSWORD_ENV, resolvePassword } from './secrets';
export type { Invocation } from './self-command';
export { selfCommand } from './self-command';
export type { Screen } from './terminal';
export { createColors, createScreen } from './terminal';
