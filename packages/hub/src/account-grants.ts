import { TOPIC_ROOT } from '@gw2race/protocol';
import { type AccessRule, RACE_ACCESS_RULES } from './access-table';

/** MQTT user name of an external hub's shared spectator account (all spectators log in as it). */
export const SPECTATOR_USERNAME = 'gw2race-spectator';

/**
 * One account of a race on an external hub (Mosquitto, EMQX, AWS IoT): the host (user name
 * `gw2race-host`), a racer (user name = its player id) or the spectators' shared account.
 */
export interface HubAccount {
  readonly role: 'host' | 'racer' | 'spectator';
  readonly username: string;
  /** The password the client sends (for a player, the credential derived from its key). */
  readonly password: string;
}

/** One topic an account may publish on. */
export interface PublishGrant {
  readonly topic: string;
  /** It may carry the retain flag (the host's state and ranking). */
  readonly retain: boolean;
}

/** What an account may do on an external hub: publish on these topics, read these filters. */
export interface AccountGrants {
  readonly publish: readonly PublishGrant[];
  readonly subscribe: readonly string[];
}

function appliesTo(rule: AccessRule, role: HubAccount['role']): boolean {
  // A closed race's table: anonymous writers (open races only) and `$SYS` (the embedded hub's
  // own) have no place on an external hub.
  return rule.who.includes(role) && !rule.openRaceOnly && !rule.topic.startsWith('$');
}

/**
 * What an account may do, read off the embedded hub's own table ({@link RACE_ACCESS_RULES}) for
 * a closed race: the same rules, with `%r` the race and `%p` the racer's user name. The table's
 * "read `race/#`" becomes `race/{raceId}/#`: an external hub serves other races (and other
 * programs) too.
 *
 * @example
 * accountGrants('r1', { role: 'racer', username: 'ann', password: '…' }).publish;
 * // [{ topic: 'race/r1/presence', retain: false }, …, { topic: 'race/r1/pos/ann', retain: false }, …]
 */
export function accountGrants(
  raceId: string,
  account: Pick<HubAccount, 'role' | 'username'>,
  rules: readonly AccessRule[] = RACE_ACCESS_RULES,
): AccountGrants {
  const expand = (topic: string) =>
    topic
      .replaceAll('%r', raceId)
      .replaceAll('%p', account.username)
      .replace(new RegExp(`^${TOPIC_ROOT}/#$`), `${TOPIC_ROOT}/${raceId}/#`);
  const publish: PublishGrant[] = [];
  const subscribe: string[] = [];
  for (const rule of rules) {
    if (!appliesTo(rule, account.role)) continue;
    if (rule.topic.includes('%c')) continue;
    const topic = expand(rule.topic);
    if (rule.access !== 'write' && !subscribe.includes(topic)) subscribe.push(topic);
    if (rule.access !== 'read' && !publish.some((grant) => grant.topic === topic))
      publish.push({ topic, retain: rule.retain === true });
  }
  return { publish, subscribe };
}
