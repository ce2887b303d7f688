import { createHash, randomBytes } from 'node:crypto';
import { accountGrants, type HubAccount } from './account-grants';

const quote = (text: string) => JSON.stringify(text);

/**
 * An EMQX 5 file authorizer (`acl.conf`, Erlang terms) for one race, from the embedded hub's
 * table: each account publishes only what its role may, everyone in it reads the race; with
 * `anonymousRead` anyone may read the race (the web viewer). Ends with `{deny, all}.`: set
 * `authorization.no_match = deny` too.
 */
export function emqxAclFile(
  raceId: string,
  accounts: readonly HubAccount[],
  options: { anonymousRead: boolean },
): string {
  const lines = [
    `%% gw2race race ${raceId}: who may publish and read what (gw2race-host hub-config --for emqx).`,
  ];
  for (const account of accounts) {
    const grants = accountGrants(raceId, account);
    const who = `{username, ${quote(account.username)}}`;
    lines.push(`%% ${account.role}`);
    lines.push(`{allow, ${who}, subscribe, [${grants.subscribe.map(quote).join(', ')}]}.`);
    lines.push(
      `{allow, ${who}, publish, [${grants.publish.map((g) => quote(g.topic)).join(', ')}]}.`,
    );
  }
  if (options.anonymousRead)
    lines.push(
      '%% anyone (the web viewer): read only',
      `{allow, all, subscribe, ["race/${raceId}/#"]}.`,
    );
  lines.push('{deny, all}.', '');
  return lines.join('\n');
}

/**
 * The users of the race for EMQX's built-in database with its default hashing (`sha256`, salt
 * `suffix`, `user_id_type = username`), as the CSV its `import_users` API and dashboard take:
 * `user_id,password_hash,salt,is_superuser`, the hash `sha256(password + salt)` in hex. `salt`
 * is for tests.
 */
export function emqxUsersCsv(
  accounts: readonly HubAccount[],
  salt: () => string = () => randomBytes(16).toString('hex'),
): string {
  const rows = accounts.map((a) => {
    const s = salt();
    const hash = createHash('sha256').update(`${a.password}${s}`, 'utf8').digest('hex');
    return `${a.username},${hash},${s},false`;
  });
  return `${['user_id,password_hash,salt,is_superuser', ...rows].join('\n')}\n`;
}

/**
 * The claims of an EMQX JWT (EMQX 5.5+ `acl` claim format) that give an account the same rights:
 * for an organizer whose own service issues tokens. Every rule is an `allow`; the last one
 * denies the rest (the new format otherwise falls through to the other authorizers).
 */
export function emqxJwtClaims(
  raceId: string,
  account: HubAccount,
  expiresAt: number,
): Record<string, unknown> {
  const grants = accountGrants(raceId, account);
  return {
    username: account.username,
    exp: expiresAt,
    acl: [
      ...grants.publish.map((g) => ({
        permission: 'allow',
        action: 'publish',
        topic: g.topic,
        // `retain: false`: the rule matches only publishes without the flag.
        ...(g.retain ? {} : { retain: false }),
      })),
      ...grants.subscribe.map((topic) => ({ permission: 'allow', action: 'subscribe', topic })),
      { permission: 'deny', action: 'all', topic: '#' },
    ],
  };
}
