import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { accountGrants, type HubAccount } from './account-grants';
import { HubError } from './errors';
import { DEFAULT_HUB_LIMITS } from './limits';

/**
 * PBKDF2 iterations of a Mosquitto `$7$` hash: 101, what `mosquitto_passwd` writes. The
 * passwords are 256-bit HMAC outputs, so more iterations would slow Mosquitto's CONNECT without
 * making a guess any less hopeless.
 */
export const MOSQUITTO_PBKDF2_ITERATIONS = 101;

const SALT_BYTES = 12;

/** A user name Mosquitto's files can hold (no `:`, no line break, no blank at either end). */
function checkUsername(username: string): void {
  if (username === '' || /[:\r\n]/.test(username) || username.trim() !== username)
    throw new HubError(
      'INVALID_OPTIONS',
      `"${username}" cannot be a Mosquitto user name (no ":", line break or blank at an end)`,
    );
}

/**
 * One line of a Mosquitto password file, `user:$7$101$salt$hash`: PBKDF2-HMAC-SHA512 with a
 * 12-byte random salt and 64-byte hash in standard base64, the format of `mosquitto_passwd`
 * (Mosquitto 2). `salt` is for tests.
 *
 * @example
 * mosquittoPasswordLine('ann', credential); // 'ann:$7$101$q1fK…$Hn3…=='
 */
export function mosquittoPasswordLine(
  username: string,
  password: string,
  salt: Uint8Array = randomBytes(SALT_BYTES),
): string {
  checkUsername(username);
  const hash = pbkdf2Sync(password, salt, MOSQUITTO_PBKDF2_ITERATIONS, 64, 'sha512');
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  return `${username}:$7$${MOSQUITTO_PBKDF2_ITERATIONS}$${b64(salt)}$${b64(hash)}`;
}

/** A Mosquitto password file (`password_file`) for the accounts. */
export function mosquittoPasswordFile(accounts: readonly HubAccount[]): string {
  return `${accounts.map((a) => mosquittoPasswordLine(a.username, a.password)).join('\n')}\n`;
}

/**
 * A Mosquitto ACL file (`acl_file`) for one race, from the embedded hub's table: each account
 * may publish only what the table lets its role publish (a racer its own positions, presence,
 * checkpoints, pings, chat and requests; spectators presence, pings, chat and requests; only
 * the host state, control, ranking, pong, flags) and read the race's topics. With
 * `anonymousRead`, clients without a user name (the web viewer) may read them too.
 */
export function mosquittoAclFile(
  raceId: string,
  accounts: readonly HubAccount[],
  options: { anonymousRead: boolean },
): string {
  const lines = [
    `# gw2race race ${raceId}: who may publish and read what (gw2race-host hub-config --for mosquitto).`,
    '# Mosquitto checks topics only: the retain flag, one connection per player and rates are not',
    '# enforced here; the host refuses every message not signed with the key of the player it names.',
    '',
  ];
  // Lines before the first `user` line are the anonymous clients'.
  if (options.anonymousRead)
    lines.push(
      '# Anonymous clients (the web viewer): read only.',
      `topic read race/${raceId}/#`,
      '',
    );
  for (const account of accounts) {
    checkUsername(account.username);
    const grants = accountGrants(raceId, account);
    lines.push(`# ${account.role}`, `user ${account.username}`);
    for (const filter of grants.subscribe) lines.push(`topic read ${filter}`);
    for (const grant of grants.publish) lines.push(`topic write ${grant.topic}`);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * The lines of `mosquitto.conf` that use the two files: no anonymous publishing, the embedded
 * hub's packet limit. The organizer adds the listeners (`listener 1883`, or 8883 with
 * `certfile`/`keyfile`).
 */
export function mosquittoConfSnippet(options: {
  passwordFile: string;
  aclFile: string;
  anonymousRead: boolean;
}): string {
  return [
    '# gw2race: the race accounts and access rules (gw2race-host hub-config --for mosquitto).',
    '# Add a listener, e.g. "listener 1883", or "listener 8883" with certfile and keyfile for mqtts.',
    'per_listener_settings false',
    `allow_anonymous ${options.anonymousRead ? 'true' : 'false'}`,
    `password_file ${options.passwordFile}`,
    `acl_file ${options.aclFile}`,
    `max_packet_size ${DEFAULT_HUB_LIMITS.maxPacketBytes}`,
    '',
  ].join('\n');
}
