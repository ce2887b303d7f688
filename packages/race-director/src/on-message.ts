import {
  buildTopic,
  type PresenceMessage,
  presenceKind,
  type ReceivedMessage,
} from '@gw2race/protocol';
import { overCapacity } from './capacity';
import { type ClientInfo, getClient, putClient } from './client-table';
import { ingest, log, stateChanged, type Work, wantState } from './work';

/** @internal A message from the hub: the client table learns from it, then it is recorded and judged. */
export function onMessage(w: Work, received: ReceivedMessage): void {
  const { at } = received;
  if (overCapacity(w, received)) return;
  switch (received.kind) {
    case 'ping': {
      const info = getClient(w.s.clients, received.message.playerId);
      if (info)
        w.s.clients = putClient(w.s.clients, {
          ...info,
          rttMs: received.message.rttMs ?? info.rttMs,
          offsetBoundMs: received.message.boundMs ?? info.offsetBoundMs,
          lastSeen: at,
        });
      break;
    }
    case 'presence':
      onPresence(w, received.message, at);
      break;
    case 'pos': {
      const info = getClient(w.s.clients, received.message.playerId);
      if (info) w.s.clients = putClient(w.s.clients, { ...info, lastSeen: at });
      break;
    }
    case 'request':
      // Not recorded: it changes nothing a re-judgement needs, and a flood would fill the file.
      wantState(w);
      return;
    case 'state':
    case 'control':
    case 'ranking':
    case 'pong':
    case 'flag':
      // Host channels: the hub's rules keep others off them; our own echoes are not subscribed.
      return;
    default:
      break;
  }
  ingest(w, received);
}

function onPresence(w: Work, message: PresenceMessage, at: number): void {
  const kind = presenceKind(message);
  const known = getClient(w.s.clients, message.playerId);
  const before: ClientInfo = known ?? {
    playerId: message.playerId,
    name: message.name,
    mode: message.mode ?? 'racer',
    status: 'joined',
    game: undefined,
    connected: true,
    droppedAt: undefined,
    lastSeen: at,
    joinedAt: at,
    everReady: false,
    rttMs: undefined,
    offsetBoundMs: undefined,
  };
  const connected = kind !== 'leave' && kind !== 'disconnected';
  const status = message.status ?? kind;
  // A spectator (an expired join among them) that joins as a racer starts its wait again.
  const rejoined = known !== undefined && before.mode === 'spectator' && message.mode === 'racer';
  const info: ClientInfo = {
    ...before,
    lastSeen: at,
    ...(rejoined ? { joinedAt: at } : {}),
    everReady: before.everReady || status === 'ready',
    name: message.name ?? before.name,
    mode: message.mode ?? before.mode,
    game: message.game ?? before.game,
    status,
    connected,
    droppedAt:
      connected || kind === 'leave'
        ? undefined
        : before.connected || before.droppedAt === undefined
          ? at
          : before.droppedAt,
  };
  w.s.clients = putClient(w.s.clients, info);
  const shown = info.name ?? info.playerId;
  if (!known) {
    w.effects.push({
      type: 'follow',
      playerId: info.playerId,
      topic: buildTopic(w.s.config.raceId, 'pos', info.playerId),
    });
    log(w, `${shown} joined as ${info.mode}`);
    if (info.mode === 'racer' && w.s.stage === 'pre') stateChanged(w);
    // A client that joins is sent the state even where the hub kept no retained one.
    else wantState(w);
  } else if (before.mode !== info.mode && w.s.stage === 'pre') {
    // A racer turned spectator or back: the participants changed.
    stateChanged(w);
  }
  if (known && before.connected && !connected) {
    log(w, `${shown} ${kind === 'leave' ? 'left' : 'disconnected'}`);
  } else if (known && !before.connected && connected) {
    log(w, `${shown} is back`);
    // Back, perhaps through another broker node: the state again, for it.
    wantState(w);
  }
}
