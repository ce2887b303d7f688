import { readFileSync } from 'node:fs';
import {
  AppError,
  ask,
  canPrompt,
  createScreen,
  numberOption,
  parseCommandLine,
  resolvePassword,
  runMain,
} from '@gw2race/app-shared';
import { DEFAULT_SNTP_SERVERS } from '@gw2race/clock-sync/node';
import { decodeInvitation, type Invitation, parseId, type Track } from '@gw2race/protocol';
import { parseTrack } from '@gw2race/race-engine';
import { idFromName } from '@gw2race/racer-core';
import type { BotMisbehaviour } from '@gw2race/simulator';
import { expandHudFlag, hudOption } from './hud-options';
import { type HudServer, startHudServer } from './hud-server';
import type { EarlierStanding } from './hud-view';
import {
  checkInviteFlags,
  invitedIdentity,
  inviteRefusal,
  looksLikeInvitation,
  readInvitation,
} from './invite';
import { type RacerOptions, runRacer } from './racer';
import { askHub, DEFAULT_BROKER } from './remembered-hub';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0';

const USAGE = `Usage: gw2race-racer [options]

Joins a Guild Wars 2 race: reads your position from the game (MumbleLink), syncs your clock with
the organizer's, and sends positions and checkpoints to the race hub.

  --invite CODE        the invitation code the organizer gave you (a closed race): it says the
                       race, the hub, who you are and your key; nothing else is needed
                       (--broker still reaches the same hub at another address)
  --race CODE          the server code of an open race (asked when omitted; the question takes
                       an invitation code too)
  --name NAME          your display name (asked when omitted)
  --player ID          your player id (default: from your name); keep it to rejoin with your progress
  --spectator          watch only: send nothing but presence (and clock pings)
  --broker URL         the race hub (default mqtt://127.0.0.1:1883; the guided racer asks and
                       remembers the last one); mqtt://, mqtts://, ws://, wss://
  --username U, --password P, --ca FILE   hub credentials and private certificate authority
                       (no user name is sent unless given; with a password alone, the player id)
  --password-file FILE                    the password from a file's first line (or GW2RACE_PASSWORD;
                                          --password shows in ps)
  --mumble NAME        MumbleLink name (Windows; the game's -mumble option; default MumbleLink)
  --mumble-file PATH   MumbleLink file (Linux bridges; default /dev/shm/MumbleLink)
  --simulate           no game: a bot drives the track through a MumbleLink file
  --sim-speed M/S      the bot's cruise speed (default 30)
  --sim-seed N         the bot's randomness (default: from the player id)
  --sim-cheat KIND     the bot misbehaves once: teleport, speed or skip
  --sim-line FILE      the bot follows this track's reference line (a track JSON recorded with
                       gw2race-host track record --path), not straight lines between checkpoints
  --ntp SERVERS        SNTP servers, comma-separated (default ${DEFAULT_SNTP_SERVERS.join(',')})
  --no-ntp             skip SNTP (the race runs on the organizer's clock either way)
  --codec json|msgpack position encoding (default msgpack, about 40% smaller)
  --rate HZ            positions per second, 1 to 10 (default 10; lower it on hubs that cap a
                       client's publishes, e.g. 8 on a 10-per-second tier: presence takes 1)
  --wait-for-race S    seconds to wait for the race to appear on the hub (default 15: where the
                       hub keeps no retained state, the racer asks the host for it)
  --stay               keep running after the race ends
  --hud [PORT]         serve a HUD page for OBS or a window over the game (speed, next
                       checkpoint, countdown, split deltas, position, standing) at
                       http://127.0.0.1:PORT/ (default port 4790; 0 picks a free one)
  --hud-listen ADDR    the HUD's address (default 127.0.0.1; 0.0.0.0 for a streaming PC on
                       your network)
  --plain              no screen redraw: print updates as lines
  -h, --help, --version`;

const MISBEHAVIOURS: readonly BotMisbehaviour[] = ['teleport', 'speed', 'skip'];

const OPTIONS = {
  invite: { type: 'string' },
  race: { type: 'string' },
  name: { type: 'string' },
  player: { type: 'string' },
  spectator: { type: 'boolean' },
  broker: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'password-file': { type: 'string' },
  ca: { type: 'string' },
  mumble: { type: 'string' },
  'mumble-file': { type: 'string' },
  simulate: { type: 'boolean' },
  'sim-speed': { type: 'string' },
  'sim-seed': { type: 'string' },
  'sim-cheat': { type: 'string' },
  'sim-line': { type: 'string' },
  ntp: { type: 'string' },
  'no-ntp': { type: 'boolean' },
  codec: { type: 'string' },
  rate: { type: 'string' },
  'wait-for-race': { type: 'string' },
  stay: { type: 'boolean' },
  hud: { type: 'string' },
  'hud-listen': { type: 'string' },
  plain: { type: 'boolean' },
  version: { type: 'boolean' },
} as const;

type Values = NonNullable<ReturnType<typeof parseCommandLine<typeof OPTIONS>>>['values'];

/** The hub password from --password-file, GW2RACE_PASSWORD or --password. */
function passwordOption(values: Values): { password?: string } {
  const password = resolvePassword(values);
  return password === undefined ? {} : { password };
}

async function main(): Promise<number> {
  const command = parseCommandLine(expandHudFlag(process.argv.slice(2)), OPTIONS, USAGE);
  if (!command) return 0;
  const { values } = command;
  if (values.version) {
    process.stdout.write(`gw2race-racer ${VERSION}\n`);
    return 0;
  }
  const interactive = canPrompt();
  if (values.invite !== undefined) checkInviteFlags(values);
  // Bound before any question: a taken port is said at once; the page stays up race after race.
  const hudAt = hudOption(values);
  const hud = hudAt ? await startHudServer(hudAt) : undefined;
  if (hud) process.stdout.write(`HUD: ${hud.url} (an OBS browser source, or any browser)\n`);
  const answer =
    values.invite !== undefined
      ? readInvitation(values.invite)
      : await askRace(values, interactive);
  // The guided racer (a code typed at the question) asks where the organizer's hub is too.
  const askedHub =
    typeof answer === 'string' && values.race === undefined && values.broker === undefined
      ? await askHub()
      : undefined;
  const who =
    typeof answer === 'string'
      ? await askIdentity(values, interactive, answer)
      : await inviteIdentity(values, interactive, answer);
  const simulate = simulationOptions(values);
  const codec = values.codec ?? 'msgpack';
  if (codec !== 'json' && codec !== 'msgpack')
    throw new AppError('USAGE', `--codec must be json or msgpack, got "${codec}"`);

  const { password, signingKey, broker, raceId, ...identity } = who;
  const options: Omit<RacerOptions, 'raceId' | 'screen'> = {
    ...identity,
    ...(signingKey !== undefined ? { signingKey } : {}),
    broker: values.broker ?? broker ?? askedHub ?? DEFAULT_BROKER,
    ...(values.username !== undefined ? { username: values.username } : {}),
    ...(password !== undefined ? { password } : passwordOption(values)),
    ...(values.ca !== undefined ? { caFile: values.ca } : {}),
    ...(values.mumble !== undefined ? { mumbleName: values.mumble } : {}),
    ...(values['mumble-file'] !== undefined ? { mumbleFile: values['mumble-file'] } : {}),
    ...(simulate !== undefined ? { simulate } : {}),
    ntp: ntpServers(values),
    codec,
    positionRate: numberOption(values.rate, 'rate', 10, { min: 1, max: 10 }),
    waitForRaceMs:
      numberOption(values['wait-for-race'], 'wait-for-race', 15, { min: 0, max: 3600 }) * 1000,
    stay: values.stay ?? false,
    version: VERSION,
  };
  const running = raceOneAfterAnother(options, raceId, values.plain ?? false, hud).finally(() =>
    hud?.close(),
  );
  return typeof answer === 'string'
    ? running
    : running.catch((error: unknown) => {
        throw inviteRefusal(error);
      });
}

/**
 * The races of a session: one, or a tournament's one after the other (NEXT_RACE ends a race's
 * session with the next id and the standing earned so far).
 */
async function raceOneAfterAnother(
  options: Omit<RacerOptions, 'raceId' | 'screen'>,
  first: string,
  plain: boolean,
  hud: HudServer | undefined,
): Promise<number> {
  let race: string | undefined = first;
  let earlier: EarlierStanding | undefined;
  let code = 0;
  while (race !== undefined) {
    let next: string | undefined;
    code = await runRacer({
      ...options,
      raceId: race,
      screen: createScreen(process.stdout, { forcePlain: plain }),
      earlier,
      hud,
      onNextRace: (id, standing) => {
        next = id;
        earlier = standing;
      },
    });
    race = next;
  }
  return code;
}

/** Who joins an open race: racer or spectator, the name and the player id (flags or asked). */
async function askIdentity(values: Values, interactive: boolean, raceId: string) {
  const spectator = await askSpectator(values, interactive);
  const { name, playerId } = await askName(values, interactive);
  return {
    raceId,
    playerId,
    name,
    mode: spectator ? ('spectator' as const) : ('racer' as const),
    broker: undefined,
    password: undefined,
    signingKey: undefined,
  };
}

/** Who joins with an invitation: its player, or a spectator under a name of its own. */
async function inviteIdentity(values: Values, interactive: boolean, invitation: Invitation) {
  if (invitation.role === 'racer' && values.name !== undefined)
    throw new AppError(
      'USAGE',
      `your invitation is for "${invitation.name ?? invitation.playerId}": drop --name (the organizer's list names you)`,
    );
  let name = values.name;
  if (invitation.role === 'spectator' && name === undefined && interactive)
    name = await ask('Your name (spectator)', {
      fallback: 'spectator',
      validate: (text) => (text.length > 0 && text.length <= 64 ? undefined : '1 to 64 characters'),
    });
  if (name !== undefined && (name.length === 0 || name.length > 64))
    throw new AppError('USAGE', '--name must be 1 to 64 characters');
  return invitedIdentity(invitation, name);
}

/** The race id: `--race`, or asked (where a pasted invitation code is taken as one). */
async function askRace(values: Values, interactive: boolean): Promise<string | Invitation> {
  let race = values.race;
  if (race === undefined) {
    if (!interactive)
      throw new AppError('USAGE', 'no server code: give --race CODE (or --invite CODE)', {
        hint: USAGE,
      });
    race = await ask('Server code or invitation code (from the organizer)', {
      validate: (answer) => {
        if (looksLikeInvitation(answer)) {
          const invitation = decodeInvitation(answer);
          return invitation.ok ? undefined : invitation.error.message;
        }
        const id = parseId('race id', answer);
        return id.ok ? undefined : id.error.message;
      },
    });
    if (looksLikeInvitation(race)) return readInvitation(race);
  }
  const raceId = parseId('race id', race);
  if (!raceId.ok) throw new AppError('USAGE', `--race: ${raceId.error.message}`);
  return raceId.value;
}

/** `--spectator`, or asked when nothing was given on the command line. */
async function askSpectator(values: Values, interactive: boolean): Promise<boolean> {
  if (values.spectator !== undefined || values.race !== undefined || !interactive)
    return values.spectator ?? false;
  const mode = await ask('Mode: racer or spectator', {
    fallback: 'racer',
    validate: (answer) =>
      ['racer', 'spectator', 'r', 's'].includes(answer.toLowerCase())
        ? undefined
        : 'type racer or spectator',
  });
  return mode.toLowerCase().startsWith('s');
}

/** The display name (`--name`, else `--player`, else asked) and the player id. */
async function askName(
  values: Values,
  interactive: boolean,
): Promise<{ name: string; playerId: string }> {
  let name = values.name;
  if (name === undefined) {
    if (values.player !== undefined) name = values.player;
    else if (interactive)
      name = await ask('Your name', {
        validate: (answer) =>
          answer.length > 0 && answer.length <= 64 ? undefined : '1 to 64 characters',
      });
    else throw new AppError('USAGE', 'no name: give --name NAME (or --player ID)', { hint: USAGE });
  }
  if (name.length === 0 || name.length > 64)
    throw new AppError('USAGE', '--name must be 1 to 64 characters');
  const player = parseId('player id', values.player ?? idFromName(name));
  if (!player.ok) throw new AppError('USAGE', `--player: ${player.error.message}`);
  return { name, playerId: player.value };
}

/** The bot's settings for `--simulate` (checked), or `undefined` without it. */
function simulationOptions(values: Values): RacerOptions['simulate'] {
  const cheat = values['sim-cheat'];
  if (cheat !== undefined && !(MISBEHAVIOURS as readonly string[]).includes(cheat)) {
    throw new AppError(
      'USAGE',
      `--sim-cheat must be one of ${MISBEHAVIOURS.join(', ')}, got "${cheat}"`,
    );
  }
  if (
    (values['sim-speed'] || cheat || values['sim-seed'] || values['sim-line']) &&
    !values.simulate
  ) {
    throw new AppError(
      'USAGE',
      '--sim-speed, --sim-seed, --sim-cheat and --sim-line need --simulate',
    );
  }
  const referenceLine =
    values['sim-line'] === undefined ? undefined : readReferenceLine(values['sim-line']);
  const speed =
    values['sim-speed'] === undefined
      ? undefined
      : numberOption(values['sim-speed'], 'sim-speed', 30, { min: 1, max: 200 });
  const seed =
    values['sim-seed'] === undefined
      ? undefined
      : numberOption(values['sim-seed'], 'sim-seed', 0, {
          min: 0,
          max: 2 ** 32 - 1,
          integer: true,
        });
  if (!values.simulate) return undefined;
  return {
    ...(seed !== undefined ? { seed } : {}),
    ...(speed !== undefined ? { speed } : {}),
    ...(cheat !== undefined ? { misbehave: cheat as BotMisbehaviour } : {}),
    ...(referenceLine !== undefined ? { referenceLine } : {}),
  };
}

/** `--ntp` servers, the defaults, or `false` for `--no-ntp`. */
function ntpServers(values: Values): readonly string[] | false {
  if (values['no-ntp']) return false;
  if (values.ntp === undefined) return DEFAULT_SNTP_SERVERS;
  return values.ntp
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
}

/** The reference line of the track JSON at `path`, for `--sim-line`; a clear error otherwise. */
function readReferenceLine(path: string): NonNullable<Track['referenceLine']> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new AppError(
      'BAD_FILE',
      `cannot read --sim-line ${path}${code === 'ENOENT' ? ': no such file' : ''}`,
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError('BAD_FILE', `--sim-line ${path} is not a gw2race track JSON`, {
      hint: 'give a track saved by gw2race-host track record --path',
      cause,
    });
  }
  const track = parseTrack(json);
  if (!track.ok)
    throw new AppError('BAD_FILE', `--sim-line ${path}: ${track.error.message}`, {
      cause: track.error,
    });
  const line = track.value.referenceLine;
  if (line === undefined || line.length < 2)
    throw new AppError('BAD_FILE', `--sim-line ${path} has no reference line`, {
      hint: 'record one with gw2race-host track record --path',
    });
  return line;
}

runMain(main, 'gw2race-racer');
