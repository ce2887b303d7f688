import { type ClientInfo, getClient, listClients } from './client-table';
import type { DirectorState } from './director-state';

/** Racers who are connected and ready to start. */
export function readyRacers(state: Pick<DirectorState, 'clients'>): ClientInfo[] {
  return listClients(state.clients).filter(
    (c) => c.mode === 'racer' && c.connected && c.status === 'ready',
  );
}

/** The name a player goes by: the one their client gave, else their id. */
export function nameOf(state: Pick<DirectorState, 'clients'>, playerId: string): string {
  return getClient(state.clients, playerId)?.name ?? playerId;
}
