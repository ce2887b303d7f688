export type { Bot, BotOptions, BotState } from './bot';
export { createBot } from './bot';
export type { BotFrames, BotFramesOptions } from './bot-frames';
export { createBotFrames } from './bot-frames';
export type { BotMisbehaviour } from './misbehaviour';
export { BOT_MISBEHAVIOURS } from './misbehaviour';
export { createRandom, seedFrom } from './random';
