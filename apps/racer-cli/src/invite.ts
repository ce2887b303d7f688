import { AppError, isAppError } from '@gw2race/app-shared';
import {
  connectCredential,
  decodeInvitation,
  type Invitation,
  invitationKey,
} from '@gw2race/protocol';
import { idFromName } from '@gw2race/racer-core';

/** What an invitation code decides for the racer: who, where, and the keys. */
export interface InvitedIdentity {
  readonly raceId: string;
  readonly playerId: string;
  readonly name: string;
  readonly mode: 'racer' | 'spectator';
  readonly broker: string;
  /** The MQTT password: derived from the key, which itself never leaves this machine. */
  readonly password: string;
  /** The key every message is signed with. */
  readonly signingKey: Uint8Array;
  /** The MQTT user name when it is not the player id (an external hub's spectator account). */
  readonly username?: string;
  /** The SHA-256 of the hub's self-made TLS certificate, to trust it and no other. */
  readonly tlsSha256?: string;
}

/** Options an invitation code already answers: giving one beside `--invite` is an error. */
const DECIDED_BY_CODE = [
  'race',
  'player',
  'spectator',
  'username',
  'password',
  'password-file',
] as const;

/** True when text someone typed or pasted at the server code question looks like a code. */
export function looksLikeInvitation(text: string): boolean {
  return /^\s*gw2race\d+-/.test(text);
}

/** The invitation in a code, or a usage error that says what is wrong with it. */
export function readInvitation(code: string): Invitation {
  const decoded = decodeInvitation(code);
  if (!decoded.ok) throw new AppError('USAGE', `--invite: ${decoded.error.message}`);
  return decoded.value;
}

/** Refuses the options an invitation decides (one line naming them). */
export function checkInviteFlags(values: Partial<Record<string, unknown>>): void {
  const given = DECIDED_BY_CODE.filter((flag) => values[flag] !== undefined);
  if (given.length > 0)
    throw new AppError(
      'USAGE',
      `--invite already says the race, the player and the credentials: drop ${given.map((f) => `--${f}`).join(', ')}`,
    );
}

/**
 * Who joins with an invitation: a racer as the player it names (its `--name` is the organizer's
 * list); a spectator under a name of its own (`spectatorName`), as `watch-<id>` so it takes no
 * player's id.
 */
export async function invitedIdentity(
  invitation: Invitation,
  spectatorName: string | undefined,
): Promise<InvitedIdentity> {
  const signingKey = invitationKey(invitation);
  const password = await connectCredential(signingKey);
  const base = {
    raceId: invitation.raceId,
    broker: invitation.hub,
    password,
    signingKey,
    ...(invitation.username !== undefined ? { username: invitation.username } : {}),
    ...(invitation.tlsSha256 !== undefined ? { tlsSha256: invitation.tlsSha256 } : {}),
  };
  if (invitation.role === 'spectator') {
    const name = spectatorName ?? 'spectator';
    return { ...base, mode: 'spectator', name, playerId: `watch-${idFromName(name)}`.slice(0, 64) };
  }
  const playerId = invitation.playerId as string;
  return { ...base, mode: 'racer', playerId, name: invitation.name ?? playerId };
}

/**
 * A hub's refusal of our credentials, said as what it is for someone who pasted a code: the
 * code is wrong or old (another race, or the organizer made new codes).
 */
export function inviteRefusal(error: unknown): unknown {
  if (!isAppError(error) || error.code !== 'HUB_AUTH') return error;
  return new AppError('HUB_AUTH', `the hub refused your invitation code: ${error.message}`, {
    hint: 'ask the organizer for your code again: it is for one player of one race, and a race set up again has new codes',
    cause: error,
  });
}
