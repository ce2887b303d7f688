import { createHmac } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, parseCommandLine, parseHubUrl } from '@gw2race/app-shared';
import {
  EXTERNAL_HUBS,
  type ExternalHub,
  externalHubFiles,
  HOST_USERNAME,
  type HubAccount,
  SPECTATOR_USERNAME,
} from '@gw2race/hub';
import { connectCredential, parseId } from '@gw2race/protocol';
import {
  type ClosedRace,
  createClosedRace,
  readInvitedPlayers,
  writeRaceCodes,
} from '../host/closed-race';
import { loadOrCreateRaceKey } from '../host/race-key';

const USAGE = `Usage: gw2race-host hub-config --for mosquitto|emqx|aws-iot --race ID
         --players "Ann,Bob,..." | --players-file FILE [--broker URL] [--out DIR]
         [--no-anonymous] [--aws-region R --aws-account N]

Writes what an external MQTT hub needs to run a closed race as the embedded hub does: one account
per invited player (user name = player id, password = the credential its invitation derives), one
for the host, one shared by the spectators, and who may publish and read what. Also writes the
race's key and invitation codes for that hub to --out, the folder the host then races from.

  --for mosquitto  password_file ($7$ PBKDF2-SHA512), acl_file and the mosquitto.conf lines
  --for emqx       built-in database users (CSV), acl.conf, and the same rules as JWT claims
  --for aws-iot    one IoT Core policy per account and a custom authorizer Lambda
  --broker URL     the hub as racers reach it, for the codes (default mqtt://127.0.0.1:1883)
  --out DIR        default ./results (the host's --out: the same key, so the same codes)
  --no-anonymous   clients without an account (the web viewer) may not even read the race`;

const OPTIONS = {
  for: { type: 'string' },
  race: { type: 'string' },
  players: { type: 'string' },
  'players-file': { type: 'string' },
  broker: { type: 'string' },
  out: { type: 'string' },
  'no-anonymous': { type: 'boolean' },
  'aws-region': { type: 'string' },
  'aws-account': { type: 'string' },
} as const;

/**
 * The host's password on an external hub: `base64url(HMAC-SHA256(raceKey,
 * "gw2race/v1/host-account"))`, so `hub-config` run again for the race writes the same one.
 */
export function hostAccountPassword(raceKey: Uint8Array): string {
  return createHmac('sha256', raceKey).update('gw2race/v1/host-account').digest('base64url');
}

/** The race's accounts on an external hub: the host, each invited player, the spectators. */
export async function raceAccounts(
  closed: ClosedRace,
  hostPassword: string,
): Promise<HubAccount[]> {
  const accounts: HubAccount[] = [
    { role: 'host', username: HOST_USERNAME, password: hostPassword },
  ];
  for (const { playerId } of closed.players) {
    const key = closed.keyOf(playerId) as Uint8Array;
    accounts.push({ role: 'racer', username: playerId, password: await connectCredential(key) });
  }
  accounts.push({
    role: 'spectator',
    username: SPECTATOR_USERNAME,
    password: await connectCredential(closed.spectatorKey),
  });
  return accounts;
}

function targetHub(text: string | undefined): ExternalHub {
  if (text === undefined)
    throw new AppError('USAGE', '--for is missing: mosquitto, emqx or aws-iot', { hint: USAGE });
  const hub = EXTERNAL_HUBS.find((name) => name === text);
  if (!hub) throw new AppError('USAGE', `--for must be mosquitto, emqx or aws-iot, got "${text}"`);
  return hub;
}

function awsTarget(values: { 'aws-region'?: string; 'aws-account'?: string }) {
  const region = values['aws-region'];
  const accountId = values['aws-account'];
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new AppError('USAGE', `--aws-region must be a region such as eu-west-1, got "${region}"`);
  if (accountId !== undefined && !/^\d{12}$/.test(accountId))
    throw new AppError('USAGE', `--aws-account must be 12 digits, got "${accountId}"`);
  return region !== undefined || accountId !== undefined
    ? { region: region ?? 'REGION', accountId: accountId ?? 'ACCOUNT_ID' }
    : undefined;
}

async function writeOwned(path: string, content: string, secret: boolean): Promise<void> {
  try {
    await writeFile(path, content, { mode: secret ? 0o600 : 0o644 });
    if (secret) await chmod(path, 0o600);
  } catch (cause) {
    throw new AppError('BAD_FILE', `cannot write ${path}`, { cause });
  }
}

/** `gw2race-host hub-config --for mosquitto|emqx|aws-iot …`. */
export async function hubConfigCommand(args: string[]): Promise<number> {
  const command = parseCommandLine(args, OPTIONS, USAGE);
  if (!command) return 0;
  const { values } = command;
  const hub = targetHub(values.for);
  if (values.race === undefined) throw new AppError('USAGE', '--race is missing', { hint: USAGE });
  const raceId = parseId('race id', values.race);
  if (!raceId.ok) throw new AppError('USAGE', `--race: ${raceId.error.message}`);
  const players = readInvitedPlayers(values);
  if (!players)
    throw new AppError(
      'USAGE',
      'hub-config is for a closed race: give --players or --players-file',
    );
  const broker = parseHubUrl(values.broker ?? 'mqtt://127.0.0.1:1883').href;
  const aws = awsTarget(values);
  const outDir = resolve(values.out ?? 'results');
  await mkdir(outDir, { recursive: true }).catch((cause: unknown) => {
    throw new AppError('BAD_FILE', `cannot make the folder ${outDir}`, { cause });
  });
  const setup = { outDir, raceId: raceId.value };
  const { key } = await loadOrCreateRaceKey(outDir, raceId.value);
  const closed = await createClosedRace({ raceKey: key, raceId: raceId.value, players });
  const hostPassword = hostAccountPassword(key);
  const files = externalHubFiles(hub, {
    raceId: raceId.value,
    accounts: await raceAccounts(closed, hostPassword),
    dir: outDir,
    anonymousRead: !values['no-anonymous'],
    ...(aws ? { aws } : {}),
    expiresAt: Math.floor(Date.now() / 1000) + 7 * 86_400,
  });
  const lines: string[] = [];
  for (const file of files) {
    const path = join(outDir, file.name);
    await writeOwned(path, file.content, file.secret);
    lines.push(`  ${path}  ${file.purpose}`);
  }
  const hostPasswordPath = join(outDir, `race_${raceId.value}.host-password.txt`);
  await writeOwned(hostPasswordPath, `${hostPassword}\n`, true);
  const codes = await writeRaceCodes(closed, setup, { hub: broker, embedded: false });
  process.stdout.write(
    [
      `race ${raceId.value} on ${hub}: ${players.length} player account${players.length === 1 ? '' : 's'}, the host's (${HOST_USERNAME}) and the spectators' (${SPECTATOR_USERNAME})`,
      ...lines,
      `  ${hostPasswordPath}  the host's password`,
      `  ${codes.path}  the invitation codes for ${codes.hub} (and ${codes.spectatorPath})`,
      'race it with:',
      `  gw2race-host --broker ${codes.hub} --race ${raceId.value} --out ${outDir} ${values.players !== undefined ? `--players "${values.players}"` : `--players-file ${values['players-file']}`} --username ${HOST_USERNAME} --password-file ${hostPasswordPath}`,
      '',
    ].join('\n'),
  );
  return 0;
}
