export type { MumbleBot, MumbleBotOptions } from './mumble-bot';
export { startMumbleBot } from './mumble-bot';
