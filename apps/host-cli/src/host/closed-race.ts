import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, parseHubUrl } from '@gw2race/app-shared';
import { type CredentialCheck, SPECTATOR_USERNAME, secretEquals } from '@gw2race/hub';
import {
  connectCredential,
  createMessageVerifier,
  createSyncSigning,
  deriveSpectatorKey,
  encodeInvitation,
  keyToHex,
  type MessageVerifier,
} from '@gw2race/protocol';
import { loadOrCreateRaceKey } from './race-key';

/** One invited player: the name the organizer listed and the id derived from it. */
export interface InvitedPlayer {
  readonly playerId: string;
  readonly name: string;
}

/** One line of `{out}/race_{raceId}.invitations.json`. */
export interface InvitationEntry extends InvitedPlayer {
  readonly code: string;
}

/** The codes of a closed race for one hub address. */
export interface RaceCodes {
  readonly invitations: readonly InvitationEntry[];
  readonly spectatorCode: string;
}

/** A closed race: its players' keys, the hub's check of their credentials, and their codes. */
export interface ClosedRace {
  readonly players: readonly InvitedPlayer[];
  /**
   * The codes, for the hub as racers reach it; on an external hub spectators log in with its
   * shared account (`spectatorUsername`).
   */
  readonly codesFor: (
    hub: string,
    options?: { spectatorUsername?: string; tlsSha256?: string },
  ) => RaceCodes;
  /** For the embedded hub: a player's own credential, or the spectators' one for any other id. */
  readonly checkCredential: CredentialCheck;
  /** The key each player signs with (and the spectators', for any other id). */
  readonly keyOf: (playerId: string) => Uint8Array | undefined;
  readonly spectatorKey: Uint8Array;
}

/** The hub's HMAC-SHA256 (Node), for the protocol's synchronous signing. */
export const nodeHmac = (key: Uint8Array, data: Uint8Array): Uint8Array =>
  createHmac('sha256', key).update(data).digest();

/**
 * A player id from a listed name: letters and digits lower-cased, anything else folded to `-`
 * (accents dropped), at most 40 characters; the same name always gives the same id.
 */
export function playerIdOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 40)
    .replace(/-+$/, '');
}

/**
 * The invited players from a list of names (`--players` split on commas, or the lines of
 * `--players-file`): blanks around a name are dropped; an empty name, a name without a letter or
 * digit, a name over 64 characters and two names that give one id are errors that name them.
 */
export function parsePlayerNames(names: readonly string[], source: string): InvitedPlayer[] {
  const players: InvitedPlayer[] = [];
  const byId = new Map<string, string>();
  names.forEach((raw, index) => {
    const name = raw.trim();
    if (name === '')
      throw new AppError('USAGE', `${source}: name ${index + 1} is empty`, {
        hint: 'one name per player, e.g. --players "Ann,Bob"',
      });
    if (name.length > 64)
      throw new AppError('USAGE', `${source}: "${name.slice(0, 20)}…" is over 64 characters`);
    const playerId = playerIdOf(name);
    if (playerId === '')
      throw new AppError('USAGE', `${source}: "${name}" has no letter or digit to make an id of`);
    const twin = byId.get(playerId);
    if (twin !== undefined)
      throw new AppError(
        'USAGE',
        twin === name
          ? `${source}: "${name}" is listed twice`
          : `${source}: "${twin}" and "${name}" give the same player id "${playerId}"`,
        { hint: 'make the names differ in their letters or digits' },
      );
    byId.set(playerId, name);
    players.push({ playerId, name });
  });
  if (players.length === 0) throw new AppError('USAGE', `${source}: no players listed`);
  return players;
}

/** The options that decide whether a race is closed. */
export interface AccessFlags {
  players?: string | undefined;
  'players-file'?: string | undefined;
  open?: boolean | undefined;
}

/** The invited players from `--players` or `--players-file`, or undefined for an open race. */
export function readInvitedPlayers(flags: AccessFlags): InvitedPlayer[] | undefined {
  const { players, open } = flags;
  const file = flags['players-file'];
  if (players !== undefined && file !== undefined)
    throw new AppError('USAGE', 'give --players or --players-file, not both');
  if (open && (players !== undefined || file !== undefined))
    throw new AppError(
      'USAGE',
      '--open lets anyone join: it does not go with --players or --players-file',
    );
  if (players !== undefined) return parsePlayerNames(players.split(','), '--players');
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError('BAD_FILE', `cannot read --players-file ${file}`, { cause });
  }
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return parsePlayerNames(lines, `--players-file ${file}`);
}

/**
 * The codes of a closed race and the hub's check: each player's key is derived from the race
 * key, its hub password from its key ({@link connectCredential}); one spectator code for all.
 */
export async function createClosedRace(options: {
  raceKey: Uint8Array;
  raceId: string;
  players: readonly InvitedPlayer[];
}): Promise<ClosedRace> {
  const signing = createSyncSigning(nodeHmac);
  const { raceKey, raceId, players } = options;
  const keys = new Map(
    players.map((p) => [p.playerId, signing.derivePlayerKey(raceKey, p.playerId)]),
  );
  const credentials = new Map<string, string>();
  for (const [playerId, key] of keys) credentials.set(playerId, await connectCredential(key));
  const spectatorKey = await deriveSpectatorKey(raceKey);
  const spectatorCredential = await connectCredential(spectatorKey);
  const codesFor = (
    hub: string,
    options: { spectatorUsername?: string; tlsSha256?: string } = {},
  ): RaceCodes => ({
    invitations: players.map((player) => ({
      ...player,
      code: encodeInvitation({
        v: 1,
        hub,
        raceId,
        role: 'racer',
        playerId: player.playerId,
        name: player.name,
        key: keyToHex(keys.get(player.playerId) as Uint8Array),
        ...(options.tlsSha256 !== undefined ? { tlsSha256: options.tlsSha256 } : {}),
      }),
    })),
    spectatorCode: encodeInvitation({
      v: 1,
      hub,
      raceId,
      role: 'spectator',
      key: keyToHex(spectatorKey),
      ...(options.spectatorUsername !== undefined ? { username: options.spectatorUsername } : {}),
      ...(options.tlsSha256 !== undefined ? { tlsSha256: options.tlsSha256 } : {}),
    }),
  });
  return {
    players,
    codesFor,
    spectatorKey,
    keyOf: (playerId) => keys.get(playerId),
    checkCredential(playerId, credential) {
      const own = credentials.get(playerId);
      if (own !== undefined) return secretEquals(credential, own);
      return secretEquals(credential, spectatorCredential) ? 'spectator' : false;
    },
  };
}

/** Where a race's invitations are written. */
export function invitationsPath(outDir: string, raceId: string): string {
  return join(outDir, `race_${raceId}.invitations.json`);
}

/**
 * Writes `{out}/race_{raceId}.invitations.json` (`[{playerId, name, code}]`, readable by its
 * owner only: the codes carry the players' keys).
 */
export async function writeInvitations(
  outDir: string,
  raceId: string,
  invitations: readonly InvitationEntry[],
): Promise<string> {
  const path = invitationsPath(outDir, raceId);
  try {
    await writeFile(path, `${JSON.stringify(invitations, null, 2)}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
  } catch (cause) {
    throw new AppError('BAD_FILE', `cannot write the invitations ${path}`, { cause });
  }
  return path;
}

/** The closed race of `--players`: its key (kept beside the recording) and its players' keys. */
export async function closeRace(
  setup: { outDir: string; raceId: string },
  players: readonly InvitedPlayer[],
): Promise<ClosedRace> {
  const { key } = await loadOrCreateRaceKey(setup.outDir, setup.raceId);
  return createClosedRace({ raceKey: key, raceId: setup.raceId, players });
}

/** The codes of a race as written to `--out`, and where. */
export interface WrittenCodes extends RaceCodes {
  readonly hub: string;
  readonly path: string;
  readonly spectatorPath: string;
}

/**
 * Writes the invitations and the spectators' code beside them (owner only) for the hub racers
 * reach. On an external hub (`embedded: false`) spectators log in with its shared account.
 */
export async function writeRaceCodes(
  closed: ClosedRace,
  setup: { outDir: string; raceId: string },
  options: { hub: string; embedded: boolean; tlsSha256?: string | undefined },
): Promise<WrittenCodes> {
  const hub = parseHubUrl(options.hub).href.replace(/\/$/, '');
  const codes = closed.codesFor(hub, {
    ...(options.embedded ? {} : { spectatorUsername: SPECTATOR_USERNAME }),
    ...(options.tlsSha256 !== undefined ? { tlsSha256: options.tlsSha256 } : {}),
  });
  const path = await writeInvitations(setup.outDir, setup.raceId, codes.invitations);
  const spectatorPath = join(setup.outDir, `race_${setup.raceId}.spectator-code.txt`);
  try {
    await writeFile(spectatorPath, `${codes.spectatorCode}\n`, { mode: 0o600 });
    await chmod(spectatorPath, 0o600);
  } catch (cause) {
    throw new AppError('BAD_FILE', `cannot write ${spectatorPath}`, { cause });
  }
  return { ...codes, hub, path, spectatorPath };
}

/**
 * Writes the codes ({@link writeRaceCodes}) and returns the organizer's lines: the codes
 * themselves on a terminal, only where they are on piped output (which ends up in logs; a code
 * is a player's key).
 */
export async function inviteLines(
  closed: ClosedRace,
  setup: { outDir: string; raceId: string },
  options: { hub: string; embedded: boolean; interactive: boolean; tlsSha256?: string | undefined },
): Promise<string[]> {
  const { hub, invitations, spectatorCode, path, spectatorPath } = await writeRaceCodes(
    closed,
    setup,
    options,
  );
  const lines = [
    `race ${setup.raceId} is closed: only the ${invitations.length} invited player${invitations.length === 1 ? '' : 's'} race, on ${hub}; each joins with gw2race-racer --invite CODE`,
  ];
  if (options.interactive) {
    const width = Math.max(...invitations.map((i) => `${i.name} (${i.playerId})`.length), 10);
    for (const i of invitations)
      lines.push(`  ${`${i.name} (${i.playerId})`.padEnd(width)}  ${i.code}`);
    lines.push(`  ${'spectators'.padEnd(width)}  ${spectatorCode}`);
    lines.push(`the codes are also in ${path} and ${spectatorPath} (only you can read them)`);
  } else {
    lines.push(
      `the codes are in ${path}, the spectators' in ${spectatorPath} (not printed: output is not a terminal)`,
    );
  }
  if (!options.embedded)
    lines.push(
      "on --broker the hub's own accounts decide who connects (gw2race-host hub-config writes them for Mosquitto, EMQX or AWS IoT); the host still refuses every racer message not signed with an invited player's key",
    );
  return lines;
}

/**
 * The gate of a closed race: a player's messages must carry that player's signature; a message
 * for anyone else only the spectators' (and only what spectators send: presence as a spectator,
 * pings, chat, requests for the state).
 */
export function createRaceVerifier(closed: ClosedRace): MessageVerifier {
  const players = closed.players.map((p) => p.playerId);
  return createMessageVerifier({
    signing: createSyncSigning(nodeHmac),
    players: () => players,
    keyOf(playerId, decoded) {
      const own = closed.keyOf(playerId);
      if (own) return own;
      const watching =
        decoded.kind === 'ping' ||
        decoded.kind === 'chat' ||
        decoded.kind === 'request' ||
        (decoded.kind === 'presence' && decoded.message.mode === 'spectator');
      return watching ? closed.spectatorKey : undefined;
    },
  });
}
