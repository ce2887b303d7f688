import type { HubAccess } from '@gw2race/app-shared';
import { decodeTopicMessage, parseTopic, TOPIC_SETTINGS } from '@gw2race/protocol';

/** MQTT user name the host logs in with on its embedded hub (with the host token as password). */
export const HOST_USERNAME = 'gw2race-host';

/**
 * Who may publish what on the host's embedded hub: only the host (logged in with its token)
 * publishes `state`, `control`, `ranking`, `pong` and `flags`; a client that publishes positions
 * for a player is bound to that player for as long as it is connected, so nobody else can send
 * positions in their name. Topics of other races or outside gw2race are refused.
 *
 * A racer's or spectator's client names its player in its last will (a `disconnected` presence);
 * a second connection with the same player id (two racers with the same name, or the same racer
 * started twice) is refused at CONNECT while the first is connected, so it neither fights the
 * first for the positions nor announces the first one's disconnection with its will.
 */
export function createRaceAccess(options: { raceId: string; hostToken: string }): HubAccess {
  const playerOfClient = new Map<string, string>();
  const clientOfPlayer = new Map<string, string>();
  /** Players named by connected clients' wills, and the client holding each. */
  const willOfClient = new Map<string, string>();
  const clientOfWill = new Map<string, string>();
  return {
    authenticate(_clientId, username, password) {
      return username !== HOST_USERNAME || password === options.hostToken;
    },
    admit(client) {
      if (client.username === HOST_USERNAME || !client.will) return undefined;
      const decoded = decodeTopicMessage(client.will.topic, client.will.payload);
      if (!decoded.ok || decoded.value.kind !== 'presence') return undefined;
      if (decoded.value.topic.raceId !== options.raceId) return undefined;
      const playerId = decoded.value.message.playerId;
      const holder = clientOfWill.get(playerId);
      if (holder !== undefined && holder !== client.id)
        return `player id "${playerId}" is already connected to race ${options.raceId}`;
      willOfClient.set(client.id, playerId);
      clientOfWill.set(playerId, client.id);
      return undefined;
    },
    authorizePublish(client, topic) {
      const parsed = parseTopic(topic);
      if (!parsed.ok) return `not a gw2race topic (${parsed.error.message})`;
      const { raceId, channel, playerId } = parsed.value;
      if (raceId !== options.raceId) return `no race "${raceId}" on this hub`;
      const isHost = client.username === HOST_USERNAME;
      if (TOPIC_SETTINGS[channel].publisher === 'host') {
        return isHost ? undefined : `only the host publishes on ${channel}`;
      }
      if (channel === 'pos' && playerId !== undefined && !isHost) {
        const bound = playerOfClient.get(client.id);
        if (bound !== undefined && bound !== playerId)
          return `this connection sends positions for ${bound}, not ${playerId}`;
        const owner = clientOfPlayer.get(playerId);
        if (owner !== undefined && owner !== client.id)
          return `another connection already sends positions for ${playerId}`;
        playerOfClient.set(client.id, playerId);
        clientOfPlayer.set(playerId, client.id);
      }
      return undefined;
    },
    clientGone(clientId) {
      const named = willOfClient.get(clientId);
      willOfClient.delete(clientId);
      if (named !== undefined && clientOfWill.get(named) === clientId) clientOfWill.delete(named);
      const playerId = playerOfClient.get(clientId);
      playerOfClient.delete(clientId);
      if (playerId !== undefined && clientOfPlayer.get(playerId) === clientId)
        clientOfPlayer.delete(playerId);
    },
  };
}
