import { decodeTopicMessage, ROLE_TOPICS, topicFilter } from '@gw2race/protocol';
import type { LiveRace } from '@gw2race/race-analysis';
import { openGuardedWebSocket } from '../core/guarded-socket';
import { askForState } from '../core/state-ask';

/**
 * Connection states shown to the user; `closed`: the race was over and the host closed its hub
 * (nothing more will come, so no reconnecting).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/**
 * Joins the race's hub at `url` (see `hubUrlOf`) as a spectator over MQTT-over-WebSocket (mqtt.js's browser build, loaded
 * only here), subscribes to the spectator's channels (protocol's `ROLE_TOPICS.spectator`) and
 * feeds every valid message to `race`. While it has no race state (a hub that keeps no retained
 * messages) it asks for one on `race/{raceId}/request`, as racers do; that is all it publishes:
 * it is invisible to racers and to the host's ranking. `onSubscribed` runs each time the subscription is in place (after
 * every reconnect too).
 */
export async function connectSpectator(
  race: LiveRace,
  url: string,
  onState: (state: ConnectionState, detail?: string) => void,
  onSubscribed?: () => void,
): Promise<{ close(): void }> {
  const { default: mqtt } = await import('mqtt');
  onState('connecting');
  const id = `web-${Math.random().toString(36).slice(2, 10)}`;
  let stopAsking = () => {};
  const client = mqtt.connect(url, {
    clientId: `gw2race-${id}`,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    keepalive: 30,
    // No writes to a socket the hub is closing (see openGuardedWebSocket).
    createWebsocket: (socketUrl: string, protocols: string[]) =>
      openGuardedWebSocket(WebSocket, socketUrl, protocols),
  });
  client.on('connect', () => {
    onState('connected');
    const filters = ROLE_TOPICS.spectator.subscribe.map((channel) =>
      topicFilter(race.raceId, channel),
    );
    client.subscribe(filters, { qos: 1 }, (error) => {
      if (error) onState('offline', `subscribe failed: ${error.message}`);
      else {
        stopAsking();
        stopAsking = askForState({
          raceId: race.raceId,
          playerId: id,
          hasState: () => race.state !== null,
          publish: (topic, payload) =>
            client.publish(topic, new TextDecoder().decode(payload), { qos: 0 }),
        });
        onSubscribed?.();
      }
    });
  });
  client.on('reconnect', () => {
    stopAsking();
    onState('reconnecting');
  });
  client.on('offline', () => {
    // After END or ABORT the host shuts its hub down once the organizer closes the race.
    if (race.ended) {
      client.end(true);
      onState('closed', 'the host closed the race');
    } else onState('offline');
  });
  client.on('error', (error) => onState('offline', error.message));
  client.on('message', (topic, payload, packet) => {
    const decoded = decodeTopicMessage(topic, payload);
    // Retained: the hub's copy handed over on subscribing, not a message sent just now.
    if (decoded.ok) race.receive(decoded.value, { retained: packet.retain === true });
    else race.rejected++;
  });
  return {
    close: () => {
      stopAsking();
      client.end(true);
    },
  };
}
