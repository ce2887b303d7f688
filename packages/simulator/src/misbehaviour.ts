/** Every way a simulated racer can cheat or misbehave, as command lines name them. */
export const BOT_MISBEHAVIOURS = ['teleport', 'speed', 'skip'] as const;

/** Ways a simulated racer can cheat or misbehave, to exercise the host's validation. */
export type BotMisbehaviour = (typeof BOT_MISBEHAVIOURS)[number];
