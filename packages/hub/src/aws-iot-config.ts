import { createHash } from 'node:crypto';
import { accountGrants, type HubAccount } from './account-grants';

/** Where the policies apply: `arn:aws:iot:{region}:{accountId}`. */
export interface AwsIotTarget {
  readonly region: string;
  readonly accountId: string;
}

/**
 * An MQTT filter as an AWS IoT policy resource: policies know no MQTT wildcards (`+` and `#` are
 * literal there); their own `*` matches any characters, so `race/r1/#` is `race/r1/*` and
 * `race/r1/pong/+` is `race/r1/pong/*`.
 */
function policyTopic(filter: string): string {
  return filter.replace(/\/#$/, '/*').replaceAll('/+', '/*');
}

/**
 * The AWS IoT Core policy that gives an account what the embedded hub's table gives its role:
 * connect, publish on its topics (`iot:RetainPublish` on the host's retained ones), subscribe to
 * and receive the race's topics.
 */
export function awsIotPolicy(
  raceId: string,
  account: HubAccount,
  target: AwsIotTarget,
): Record<string, unknown> {
  const arn = `arn:aws:iot:${target.region}:${target.accountId}`;
  const grants = accountGrants(raceId, account);
  const statement: Record<string, unknown>[] = [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${arn}:client/*` },
    {
      Effect: 'Allow',
      Action: 'iot:Publish',
      Resource: grants.publish.map((g) => `${arn}:topic/${policyTopic(g.topic)}`),
    },
  ];
  const retained = grants.publish.filter((g) => g.retain);
  if (retained.length > 0)
    statement.push({
      Effect: 'Allow',
      Action: 'iot:RetainPublish',
      Resource: retained.map((g) => `${arn}:topic/${policyTopic(g.topic)}`),
    });
  statement.push(
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: grants.subscribe.map((f) => `${arn}:topicfilter/${policyTopic(f)}`),
    },
    {
      Effect: 'Allow',
      Action: 'iot:Receive',
      Resource: grants.subscribe.map((f) => `${arn}:topic/${policyTopic(f)}`),
    },
  );
  return { Version: '2012-10-17', Statement: statement };
}

/**
 * A custom authorizer for AWS IoT Core (a Node.js Lambda, signing disabled): it answers each
 * CONNECT whose user name and password are one of the accounts with that account's policy
 * ({@link awsIotPolicy}), and refuses the rest. Only SHA-256 digests of the passwords are in it.
 */
export function awsIotAuthorizer(
  raceId: string,
  accounts: readonly HubAccount[],
  target: AwsIotTarget,
): string {
  const table = Object.fromEntries(
    accounts.map((account) => [
      account.username,
      {
        passwordSha256: createHash('sha256').update(account.password, 'utf8').digest('hex'),
        // principalId: 1-128 letters and digits.
        principalId: `gw2race${raceId}${account.username}`
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(0, 128),
        policy: awsIotPolicy(raceId, account, target),
      },
    ]),
  );
  return `// gw2race race ${raceId}: AWS IoT Core custom authorizer (gw2race-host hub-config --for aws-iot).
// Create the authorizer with signing disabled and this function; clients connect with their
// MQTT user name and password (the invitation's credential).
import { createHash, timingSafeEqual } from 'node:crypto';

const ACCOUNTS = ${JSON.stringify(table, null, 2)};

export const handler = async (event) => {
  const mqtt = event.protocolData?.mqtt ?? {};
  const account = Object.hasOwn(ACCOUNTS, mqtt.username ?? '') ? ACCOUNTS[mqtt.username] : undefined;
  const password = Buffer.from(mqtt.password ?? '', 'base64').toString('utf8');
  const digest = createHash('sha256').update(password, 'utf8').digest();
  const ok = account !== undefined && timingSafeEqual(digest, Buffer.from(account.passwordSha256, 'hex'));
  if (!ok) return { isAuthenticated: false, principalId: 'refused', policyDocuments: [] };
  return {
    isAuthenticated: true,
    principalId: account.principalId,
    disconnectAfterInSeconds: 86400,
    refreshAfterInSeconds: 3600,
    policyDocuments: [JSON.stringify(account.policy)],
  };
};
`;
}
