import { randomBytes } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@gw2race/app-shared';
import { buildTopic, decodeTopicMessage } from '@gw2race/protocol';
import { DIRECTOR_DEFAULTS } from '@gw2race/race-director';
import type { MqttClient } from 'mqtt';

/** The host process directing a race: a random id each start, and when it started. */
export interface HostIdentity {
  readonly id: string;
  /** Organizer clock when this process started (epoch s). */
  readonly since: number;
}

/** A fresh identity for this process. */
export function newHostIdentity(since: number): HostIdentity {
  return { id: `h-${randomBytes(6).toString('base64url')}`, since };
}

/**
 * Of two hosts of one race, the one that keeps the race: the one that started first (the
 * smaller id on a tie), so both decide the same without talking.
 */
export function keepsAuthority(me: HostIdentity, other: HostIdentity): boolean {
  return me.since !== other.since ? me.since < other.since : me.id < other.id;
}

/** When a host was up since, as the organizer reads it. */
function sinceText(identity: HostIdentity | undefined): string {
  return identity ? ` (up since ${new Date(identity.since * 1000).toISOString()})` : '';
}

/** The error a host that must not direct the race exits with. */
export function anotherHostError(raceId: string, where: string, other?: HostIdentity): AppError {
  return new AppError(
    'ANOTHER_HOST',
    `another host is directing race ${raceId} ${where}${sinceText(other)}: two hosts would split the race, so this one does not publish`,
    { hint: 'stop the other host first, or use another --race' },
  );
}

/** How long a host listens before it publishes: the ranking goes out at least this often. */
export const LISTEN_BEFORE_PUBLISHING_MS = 2500 * DIRECTOR_DEFAULTS.rankingSteady;

/**
 * Listens to the race's host channels for `windowMs` before this host publishes anything: a
 * live host publishes its ranking at least once a second (and its state every few seconds), so
 * hearing one (not a retained copy: those outlive a crashed host) means the race has its host.
 * Rejects with {@link AppError} `ANOTHER_HOST` when one is heard.
 */
export async function listenForAnotherHost(
  client: MqttClient,
  raceId: string,
  windowMs = LISTEN_BEFORE_PUBLISHING_MS,
): Promise<void> {
  const topics = [buildTopic(raceId, 'state'), buildTopic(raceId, 'ranking')];
  let heard: { other: HostIdentity | undefined } | undefined;
  let wake: (() => void) | undefined;
  const onMessage = (topic: string, payload: Buffer, packet: { retain?: boolean }) => {
    if (!topics.includes(topic) || packet.retain) return;
    const decoded = decodeTopicMessage(topic, payload);
    if (!decoded.ok) return;
    const message = decoded.value.message as { host?: HostIdentity };
    heard = { other: decoded.value.kind === 'state' ? message.host : heard?.other };
    // A ranking says a host is there; its state (every few seconds) says which: wait for it.
    if (heard.other) wake?.();
  };
  client.on('message', onMessage);
  try {
    await client.subscribeAsync(topics, { qos: 1 });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, windowMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  } finally {
    client.off('message', onMessage);
    await client.unsubscribeAsync(topics).catch(() => {});
  }
  if (heard) throw anotherHostError(raceId, 'on this hub', heard.other);
}

/** The lock a host holds on its results folder for a race, so two never write one recording. */
export interface RaceLock {
  readonly path: string;
  /** Removes the lock (the race is over, or the host exits). */
  release(): Promise<void>;
}

/** Whether a process with this pid is alive on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `{out}/race_{raceId}.lock` for this process. A lock left by a host that died (kill -9,
 * a crash) is taken over; one held by a live host on this machine is refused with
 * {@link AppError} `ANOTHER_HOST`, before anything touches the recording.
 */
export async function lockRace(
  outDir: string,
  raceId: string,
  me: HostIdentity,
): Promise<RaceLock> {
  const path = join(outDir, `race_${raceId}.lock`);
  const mine = `${JSON.stringify({ pid: process.pid, host: hostname(), ...me })}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, mine, { flag: 'wx', mode: 0o600 });
      return { path, release: () => unlink(path).catch(() => {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new AppError('BAD_FILE', `cannot write the race lock ${path}`, { cause: error });
    }
    const held = await readLock(path);
    if (held && held.host === hostname() && held.pid !== process.pid && alive(held.pid))
      throw anotherHostError(
        raceId,
        `with the results folder ${outDir} (process ${held.pid})`,
        held,
      );
    // Left by a host that is gone: take it over.
    await unlink(path).catch(() => {});
  }
  throw new AppError('BAD_FILE', `cannot take the race lock ${path}`);
}

async function readLock(
  path: string,
): Promise<(HostIdentity & { pid: number; host: string }) | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return {
      pid: value.pid,
      host: value.host,
      id: String(value.id),
      since: typeof value.since === 'number' ? value.since : 0,
    };
  } catch {
    return undefined;
  }
}
