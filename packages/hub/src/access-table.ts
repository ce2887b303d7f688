import { type Channel, parseTopic, TOPIC_ROOT, TOPIC_SETTINGS } from '@gw2race/protocol';
import type { Principal, PrincipalKind } from './principal';
import { playerOf } from './principal';
import { filterCovers } from './topic-match';

/** What a client asks the hub: to publish on a topic (`write`) or to subscribe to a filter (`read`). */
export type HubAction = 'read' | 'write';

/**
 * One line of the access table, in the spirit of a Mosquitto ACL (`topic read|write|readwrite`,
 * `pattern` with `%u`/`%c`): who may do what on which topics.
 */
export interface AccessRule {
  /** The principals the line is for. */
  readonly who: readonly PrincipalKind[];
  /** `read` (subscribe), `write` (publish) or both. */
  readonly access: 'read' | 'write' | 'readwrite';
  /**
   * An MQTT filter; `%r` is the race id, `%p` the principal's player id (a line with `%p` does not
   * apply to a principal without one), `%c` the client id (likewise for an id holding `/`, `+`, `#`).
   */
  readonly topic: string;
  /** A publish may carry the retain flag. Default false: only the host retains. */
  readonly retain?: boolean;
  /** The line applies only to an open race (no credential check): a closed race's anonymous clients only read. */
  readonly openRaceOnly?: boolean;
}

/** Where a decision is taken: the race this hub serves, and whether it checks credentials. */
export interface AccessContext {
  readonly raceId: string;
  /** True when anyone may join (no credential check at CONNECT). */
  readonly open: boolean;
  /** The table. Default {@link RACE_ACCESS_RULES}. */
  readonly rules?: readonly AccessRule[];
}

/** One request to decide. */
export interface AccessRequest {
  readonly principal: Principal;
  readonly action: HubAction;
  /** The topic of a publish, or the filter of a subscription. */
  readonly topic: string;
  /** The publish carries the retain flag. */
  readonly retain?: boolean;
  /** The connection's client id, for `%c`. */
  readonly clientId?: string;
}

/** The answer: allowed by a line of the table, or refused with a reason a person can read. */
export type AccessDecision =
  | { readonly allow: true; readonly rule: AccessRule }
  | { readonly allow: false; readonly reason: string };

const CLIENT_KINDS: Record<string, readonly PrincipalKind[]> = {
  host: ['host'],
  racer: ['racer', 'anonymous'],
  client: ['racer', 'spectator', 'anonymous'],
  any: ['host', 'racer', 'spectator', 'anonymous'],
};

/** A line for the kinds given; an anonymous writer gets its own line, valid in an open race only. */
function writeLines(who: readonly PrincipalKind[], topic: string, retain: boolean): AccessRule[] {
  const named = who.filter((kind) => kind !== 'anonymous');
  const lines: AccessRule[] = [];
  if (named.length > 0) lines.push({ who: named, access: 'write', topic, retain });
  if (who.includes('anonymous'))
    lines.push({ who: ['anonymous'], access: 'write', topic, openRaceOnly: true });
  return lines;
}

function channelRules(channel: Channel): AccessRule[] {
  const settings = TOPIC_SETTINGS[channel];
  const base = `${TOPIC_ROOT}/%r/${channel}`;
  const who = CLIENT_KINDS[settings.publisher] ?? [];
  const retain = settings.retain && settings.publisher === 'host';
  if (!settings.perPlayer) return writeLines(who, base, retain);
  if (settings.publisher === 'host') return writeLines(who, `${base}/+`, retain);
  // A per-player channel a client publishes (pos): a racer on its own topic only; an anonymous
  // client of an open race on any, and the hub binds it to the first player it sends for.
  return [
    ...writeLines(
      who.filter((kind) => kind !== 'anonymous'),
      `${base}/%p`,
      false,
    ),
    ...writeLines(['anonymous'], `${base}/+`, false),
  ];
}

/**
 * The race's access table, from the protocol's {@link TOPIC_SETTINGS}: everyone reads `race/#`
 * (only this race's topics exist here); the host also reads `$SYS`. The host publishes its channels (and retains `state` and
 * `ranking`, nothing else is retained); racers publish presence, checkpoints, pings, chat and their
 * own positions; spectators publish presence, pings and chat. An anonymous client of an open race
 * writes what a racer writes; in a closed race it only reads.
 */
export const RACE_ACCESS_RULES: readonly AccessRule[] = [
  { who: ['host'], access: 'read', topic: '$SYS/#' },
  // Any race's topics: on this hub only this race's exist (publishes elsewhere are refused), and a
  // client that asks for another race learns that it has none instead of failing to subscribe.
  { who: ['host', 'racer', 'spectator', 'anonymous'], access: 'read', topic: `${TOPIC_ROOT}/#` },
  ...(Object.keys(TOPIC_SETTINGS) as Channel[]).flatMap(channelRules),
];

const WILDCARD = /[+#/]/;

/** The rule's filter for this principal, or undefined when a placeholder has no safe value. */
function expand(rule: AccessRule, request: AccessRequest, raceId: string): string | undefined {
  const player = playerOf(request.principal);
  if (rule.topic.includes('%p') && player === undefined) return undefined;
  const client = request.clientId;
  if (rule.topic.includes('%c') && (client === undefined || WILDCARD.test(client)))
    return undefined;
  return rule.topic
    .replaceAll('%r', raceId)
    .replaceAll('%p', player ?? '')
    .replaceAll('%c', client ?? '');
}

function matchingRule(request: AccessRequest, context: AccessContext): AccessRule | undefined {
  for (const rule of context.rules ?? RACE_ACCESS_RULES) {
    if (!rule.who.includes(request.principal.kind)) continue;
    if (rule.openRaceOnly && !context.open) continue;
    if (rule.access !== 'readwrite' && rule.access !== request.action) continue;
    const filter = expand(rule, request, context.raceId);
    if (filter !== undefined && filterCovers(filter, request.topic)) return rule;
  }
  return undefined;
}

function writeRefusal(request: AccessRequest, context: AccessContext): string {
  const parsed = parseTopic(request.topic);
  if (!parsed.ok) return `not a gw2race topic (${parsed.error.message})`;
  const { raceId, channel, playerId } = parsed.value;
  if (raceId !== context.raceId) return `no race "${raceId}" on this hub`;
  const { principal } = request;
  if (TOPIC_SETTINGS[channel].publisher === 'host') return `only the host publishes on ${channel}`;
  if (principal.kind === 'anonymous' && !context.open)
    return `race ${raceId} is closed: connect with your player id and invitation to publish`;
  const own = playerOf(principal);
  if (channel === 'pos' && own !== undefined && principal.kind === 'racer')
    return `this connection sends positions for ${own}, not ${playerId}`;
  return `a ${principal.kind} does not publish on ${channel}`;
}

/**
 * Decides one request against the table: a pure function of (principal, action, topic), the
 * same at every call. A publish with the retain flag also needs a line that allows retaining.
 *
 * @example
 * decideAccess(
 *   { principal: { kind: 'racer', playerId: 'p1', verified: false }, action: 'write', topic: 'race/r1/pos/p2' },
 *   { raceId: 'r1', open: true },
 * ); // { allow: false, reason: 'this connection sends positions for p1, not p2' }
 */
export function decideAccess(request: AccessRequest, context: AccessContext): AccessDecision {
  const rule = matchingRule(request, context);
  if (request.action === 'read') {
    if (rule) return { allow: true, rule };
    if (request.topic.startsWith('$'))
      return {
        allow: false,
        reason: `${request.topic.split('/')[0]} topics are only for the host`,
      };
    return {
      allow: false,
      reason: `subscriptions stay within ${TOPIC_ROOT}/ (asked for ${request.topic})`,
    };
  }
  if (!rule) return { allow: false, reason: writeRefusal(request, context) };
  if (request.retain && !rule.retain)
    return {
      allow: false,
      reason: 'only the host retains messages, on the race state and ranking',
    };
  return { allow: true, rule };
}
