import type { HubAccount } from './account-grants';
import { type AwsIotTarget, awsIotAuthorizer, awsIotPolicy } from './aws-iot-config';
import { emqxAclFile, emqxJwtClaims, emqxUsersCsv } from './emqx-config';
import { mosquittoAclFile, mosquittoConfSnippet, mosquittoPasswordFile } from './mosquitto-config';

/** The external hubs {@link externalHubFiles} writes configurations for. */
export const EXTERNAL_HUBS = ['mosquitto', 'emqx', 'aws-iot'] as const;

/** One of {@link EXTERNAL_HUBS}. */
export type ExternalHub = (typeof EXTERNAL_HUBS)[number];

/** A file of an external hub's configuration. */
export interface HubConfigFile {
  /** File name, without a directory. */
  readonly name: string;
  readonly content: string;
  /** True when it holds passwords (or their hashes): readable by its owner only. */
  readonly secret: boolean;
  /** What it is for, in a few words. */
  readonly purpose: string;
}

/** Options of {@link externalHubFiles}. */
export interface ExternalHubOptions {
  readonly raceId: string;
  /** The host, the racers and the spectators' shared account. */
  readonly accounts: readonly HubAccount[];
  /** Where the files will be (absolute): Mosquitto's configuration names them. */
  readonly dir: string;
  /** Clients without a user name (the web viewer) may read the race. */
  readonly anonymousRead: boolean;
  /** AWS IoT only: where the policies apply. Default a placeholder region and account. */
  readonly aws?: AwsIotTarget;
  /** EMQX only: `exp` of the example JWT claims, epoch seconds. */
  readonly expiresAt?: number;
}

/**
 * The files that give an external hub the embedded hub's rules for one closed race: its accounts
 * (the credentials the invitations derive) and who may publish and read what, in that hub's own
 * format. Pure but for the salts of the password hashes.
 */
export function externalHubFiles(hub: ExternalHub, options: ExternalHubOptions): HubConfigFile[] {
  const { raceId, accounts, dir, anonymousRead } = options;
  const prefix = `race_${raceId}`;
  if (hub === 'mosquitto') {
    const passwordFile = `${dir}/${prefix}.mosquitto.passwd`;
    const aclFile = `${dir}/${prefix}.mosquitto.acl`;
    return [
      {
        name: `${prefix}.mosquitto.passwd`,
        content: mosquittoPasswordFile(accounts),
        secret: true,
        purpose: 'password_file',
      },
      {
        name: `${prefix}.mosquitto.acl`,
        content: mosquittoAclFile(raceId, accounts, { anonymousRead }),
        secret: false,
        purpose: 'acl_file',
      },
      {
        name: `${prefix}.mosquitto.conf`,
        content: mosquittoConfSnippet({ passwordFile, aclFile, anonymousRead }),
        secret: false,
        purpose: 'the mosquitto.conf lines that use them (add a listener)',
      },
    ];
  }
  if (hub === 'emqx') {
    const expiresAt = options.expiresAt ?? 0;
    const claims = accounts.map((account) => emqxJwtClaims(raceId, account, expiresAt));
    return [
      {
        name: `${prefix}.emqx-users.csv`,
        content: emqxUsersCsv(accounts),
        secret: true,
        purpose: 'built-in database users (import_users)',
      },
      {
        name: `${prefix}.emqx-acl.conf`,
        content: emqxAclFile(raceId, accounts, { anonymousRead }),
        secret: false,
        purpose: 'file authorizer (acl.conf)',
      },
      {
        name: `${prefix}.emqx-jwt-claims.json`,
        content: `${JSON.stringify(claims, null, 2)}\n`,
        secret: false,
        purpose: 'the same rules as JWT acl claims, for a token issuer',
      },
    ];
  }
  const aws = options.aws ?? { region: 'REGION', accountId: 'ACCOUNT_ID' };
  const policies = Object.fromEntries(
    accounts.map((account) => [account.username, awsIotPolicy(raceId, account, aws)]),
  );
  return [
    {
      name: `${prefix}.aws-iot-policies.json`,
      content: `${JSON.stringify(policies, null, 2)}\n`,
      secret: false,
      purpose: 'one IoT Core policy per account',
    },
    {
      name: `${prefix}.aws-iot-authorizer.mjs`,
      content: awsIotAuthorizer(raceId, accounts, aws),
      secret: true,
      purpose: 'custom authorizer Lambda (user name and password)',
    },
  ];
}
