/** A client the host has heard from. */
export interface ClientInfo {
  readonly playerId: string;
  readonly name: string | undefined;
  readonly mode: 'racer' | 'spectator';
  readonly status: string;
  readonly game: string | undefined;
  readonly connected: boolean;
  /**
   * Host clock (epoch s) when the connection dropped (the hub's last will, or silence); undefined
   * while connected and after a goodbye (`leave`). Within the rejoin grace a dropped racer is
   * still in the race.
   */
  readonly droppedAt: number | undefined;
  /** Host clock (epoch s) of the last message. */
  readonly lastSeen: number;
  /** Host clock (epoch s) when the client joined (or joined again after its join expired). */
  readonly joinedAt: number;
  /** The client has said it is ready at least once. */
  readonly everReady: boolean;
  readonly rttMs: number | undefined;
  readonly offsetBoundMs: number | undefined;
}

/**
 * The clients, in order of arrival, as a persistent table: chunks of 32, so updating one client
 * (every position updates `lastSeen`) copies two small arrays, not a thousand entries.
 */
export interface ClientTable {
  readonly index: ReadonlyMap<string, number>;
  readonly chunks: readonly (readonly ClientInfo[])[];
}

const SHIFT = 5;
const MASK = (1 << SHIFT) - 1;

/** A table with no clients. */
export function emptyClientTable(): ClientTable {
  return { index: new Map(), chunks: [] };
}

/** The client `playerId`, if known. */
export function getClient(table: ClientTable, playerId: string): ClientInfo | undefined {
  const i = table.index.get(playerId);
  return i === undefined ? undefined : table.chunks[i >>> SHIFT]?.[i & MASK];
}

/** A new table with `info` stored (replacing the same player, or appended); `table` is unchanged. */
export function putClient(table: ClientTable, info: ClientInfo): ClientTable {
  let i = table.index.get(info.playerId);
  let index = table.index;
  if (i === undefined) {
    i = table.index.size;
    index = new Map(table.index).set(info.playerId, i);
  }
  const c = i >>> SHIFT;
  const chunks = table.chunks.slice();
  const chunk = (chunks[c] ?? []).slice();
  chunk[i & MASK] = info;
  chunks[c] = chunk;
  return { index, chunks };
}

/** Every client, in order of arrival. */
export function listClients(table: ClientTable): ClientInfo[] {
  const out: ClientInfo[] = [];
  for (const chunk of table.chunks) for (const info of chunk) out.push(info);
  return out;
}
