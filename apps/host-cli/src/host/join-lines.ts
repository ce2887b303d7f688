import type { NetworkInterfaceInfo } from 'node:os';
import { clientAddressOf } from '@gw2race/hub';

/** The hub the racer client connects to when it is given no `--broker`. */
export const RACER_DEFAULT_BROKER = 'mqtt://127.0.0.1:1883';

/** Where racers reach the race: the embedded hub's interface and port, or an external hub. */
export type JoinHub =
  | {
      readonly embedded: true;
      readonly listen: string;
      readonly port: number;
      /** The hub serves MQTT over TLS. */
      readonly tls?: boolean;
    }
  | { readonly embedded: false; readonly url: string };

/** One way to join: who it is for and the command to type. */
export interface JoinLine {
  /** `this machine`, `LAN <interface>` or `hub`. */
  readonly where: string;
  /** The complete racer command line. */
  readonly command: string;
}

/** The interfaces as `os.networkInterfaces()` gives them. */
export type InterfaceList = NodeJS.Dict<NetworkInterfaceInfo[]>;

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The racer command for a hub URL, without `--broker` when the racer's default reaches it. */
function racerCommand(raceId: string, url: string): string {
  const base = `gw2race-racer --race ${raceId}`;
  return url === RACER_DEFAULT_BROKER ? base : `${base} --broker ${url}`;
}

/** The hub URL for an address (IPv6 in brackets). */
function hubUrl(address: string, port: number, tls = false): string {
  return `${tls ? 'mqtts' : 'mqtt'}://${address === 'localhost' ? '127.0.0.1' : clientAddressOf(address)}:${port}`;
}

/** Every non-internal IPv4 address, with its interface's name, in the list's order. */
export function lanAddresses(interfaces: InterfaceList): { name: string; address: string }[] {
  const found: { name: string; address: string }[] = [];
  for (const [name, entries] of Object.entries(interfaces))
    for (const entry of entries ?? [])
      if (entry.family === 'IPv4' && !entry.internal) found.push({ name, address: entry.address });
  return found;
}

/**
 * How racers join the race `raceId`: on an embedded hub listening on every interface
 * (`0.0.0.0`, `::`), one line for this machine and one per LAN address; on one interface, that
 * address; on an external hub, its URL. `--broker` is left out only where the racer's default
 * (`mqtt://127.0.0.1:1883`) is that hub.
 */
export function joinLines(raceId: string, hub: JoinHub, interfaces: InterfaceList): JoinLine[] {
  if (!hub.embedded)
    return [{ where: 'hub', command: `gw2race-racer --race ${raceId} --broker ${hub.url}` }];
  const local = {
    where: 'this machine',
    command: racerCommand(raceId, hubUrl('127.0.0.1', hub.port, hub.tls)),
  };
  if (LOOPBACK.has(hub.listen)) return [local];
  if (!ANY_ADDRESS.has(hub.listen))
    return [
      { where: hub.listen, command: racerCommand(raceId, hubUrl(hub.listen, hub.port, hub.tls)) },
    ];
  return [
    local,
    ...lanAddresses(interfaces).map(({ name, address }) => ({
      where: `LAN ${name}`,
      command: racerCommand(raceId, hubUrl(address, hub.port, hub.tls)),
    })),
  ];
}

/** The organizer's lines for {@link joinLines}, with a note when no LAN address was found. */
export function formatJoinLines(raceId: string, hub: JoinHub, interfaces: InterfaceList): string[] {
  const lines = joinLines(raceId, hub, interfaces);
  const width = Math.max(...lines.map((line) => line.where.length));
  const out = lines.map((line) => `  ${`${line.where}:`.padEnd(width + 2)}${line.command}`);
  if (hub.embedded && ANY_ADDRESS.has(hub.listen) && lines.length === 1)
    out.push('  (no network address found: only racers on this machine can join)');
  return out;
}

/**
 * The hub address an invitation carries: the one address racers on other machines are likeliest
 * to reach (the first LAN address of a hub on every interface, the interface it listens on, or
 * the external hub's URL without credentials); 127.0.0.1 when there is no other.
 */
export function invitationHubUrl(hub: JoinHub, interfaces: InterfaceList): string {
  if (!hub.embedded) {
    const url = new URL(hub.url);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  }
  if (LOOPBACK.has(hub.listen)) return hubUrl('127.0.0.1', hub.port, hub.tls);
  if (!ANY_ADDRESS.has(hub.listen)) return hubUrl(hub.listen, hub.port, hub.tls);
  const lan = lanAddresses(interfaces)[0];
  return hubUrl(lan?.address ?? '127.0.0.1', hub.port, hub.tls);
}
