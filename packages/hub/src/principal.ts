/**
 * Who a connection is, as the hub knows it once CONNECT was accepted:
 * - `host`: the organizer's host, logged in with its token;
 * - `racer` / `spectator`: a gw2race client bound to one player id (named in its last will in an
 *   open race, or in its user name and proven by its credential in a closed one: `verified`);
 * - `anonymous`: any other MQTT client of an open race (mosquitto_pub, a script).
 */
export type Principal =
  | { readonly kind: 'host' }
  | { readonly kind: 'racer'; readonly playerId: string; readonly verified: boolean }
  | { readonly kind: 'spectator'; readonly playerId: string; readonly verified: boolean }
  | { readonly kind: 'anonymous' };

/** The kind of a {@link Principal}. */
export type PrincipalKind = Principal['kind'];

/** All principal kinds. */
export const PRINCIPAL_KINDS = [
  'host',
  'racer',
  'spectator',
  'anonymous',
] as const satisfies readonly PrincipalKind[];

/** The player a principal is bound to, if any. */
export function playerOf(principal: Principal): string | undefined {
  return principal.kind === 'racer' || principal.kind === 'spectator'
    ? principal.playerId
    : undefined;
}

/**
 * True when two connections are the same principal, so the second may take the first one's
 * client id over (a reconnect the hub has not noticed yet). Anonymous connections are nobody in
 * particular: never the same, so nobody can kick an anonymous client by reusing its id.
 */
export function samePrincipal(a: Principal, b: Principal): boolean {
  if (a.kind === 'anonymous' || b.kind === 'anonymous') return false;
  if (a.kind === 'host' || b.kind === 'host') return a.kind === b.kind;
  return a.kind === b.kind && a.playerId === b.playerId;
}

/** A principal in words, for refusals and logs. */
export function describePrincipal(principal: Principal): string {
  const player = playerOf(principal);
  return player === undefined ? principal.kind : `${principal.kind} ${player}`;
}
