import { createRaceAccess, type HubAccess, type HubConnection } from '@gw2race/hub';
import { parseTopic } from '@gw2race/protocol';

/** The embedded hub's access rules for a tournament: each race's rules on its own topics. */
export interface TournamentAccess {
  readonly access: HubAccess;
}

/**
 * Access rules for every race of a tournament at once: each race's own rules
 * (`createRaceAccess`) decide on its topics, and a connecting client is judged by the race its
 * last will names. So a racer of a later heat can connect and subscribe before its race opens,
 * and a racer's client that follows `NEXT_RACE` (it reconnects with the next race's will) is
 * judged by the race it joins. Topics of other races stay refused.
 */
export function createTournamentAccess(
  hostToken: string,
  raceIds: readonly string[],
): TournamentAccess {
  const first = raceIds[0] as string;
  const byRace = new Map(
    raceIds.map((raceId) => [raceId, createRaceAccess({ raceId, hostToken })]),
  );
  /** The race each client id connected for (its will's), until it connects again. */
  const raceOfClient = new Map<string, string>();
  const raceOfTopic = (topic: string) => {
    const parsed = parseTopic(topic.replace(/[+#].*$/, 'x'));
    return parsed.ok && byRace.has(parsed.value.raceId) ? parsed.value.raceId : undefined;
  };
  const of = (raceId: string | undefined) => byRace.get(raceId ?? first) as HubAccess;
  const ofConnection = (connection: HubConnection) => of(raceOfClient.get(connection.clientId));
  return {
    access: {
      authenticate(request) {
        const raceId = (request.will && raceOfTopic(request.will.topic)) || first;
        raceOfClient.set(request.clientId, raceId);
        return of(raceId).authenticate(request);
      },
      admit: (connection, replacing) => ofConnection(connection).admit?.(connection, replacing),
      authorizePublish: (connection, topic, retain, payload) =>
        of(raceOfTopic(topic) ?? raceOfClient.get(connection.clientId)).authorizePublish(
          connection,
          topic,
          retain,
          payload,
        ),
      authorizeSubscribe: (connection, filter) =>
        of(raceOfTopic(filter) ?? raceOfClient.get(connection.clientId)).authorizeSubscribe(
          connection,
          filter,
        ),
      disconnected: (connection) => {
        for (const access of byRace.values()) access.disconnected?.(connection);
      },
    },
  };
}
