import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectHub, isAppError } from '@gw2race/app-shared';
import { startEmbeddedBroker } from '@gw2race/app-shared/hub';
import { buildTopic, encodeMessage } from '@gw2race/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { keepsAuthority, listenForAnotherHost, lockRace, newHostIdentity } from '../host/authority';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('no error');
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

async function openHub() {
  const broker = await startEmbeddedBroker({ port: 0 });
  cleanups.push(() => broker.close());
  const connect = async (clientId: string) => {
    const client = await connectHub(broker.url, { clientId });
    cleanups.push(() => void client.end(true));
    return client;
  };
  return { connect };
}

describe('one authority per race', () => {
  it('lets the host that started first keep the race, the same on both sides', () => {
    const a = { id: 'h-a', since: 100 };
    const b = { id: 'h-b', since: 101 };
    expect(keepsAuthority(a, b)).toBe(true);
    expect(keepsAuthority(b, a)).toBe(false);
    const tie = { id: 'h-0', since: 100 };
    expect(keepsAuthority(tie, a)).toBe(true);
    expect(keepsAuthority(a, tie)).toBe(false);
    expect(newHostIdentity(5).id).not.toBe(newHostIdentity(5).id);
  });

  it('locks the results folder: a live host refuses a second one, a dead one is taken over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw2race-lock-'));
    const me = newHostIdentity(1000);
    const path = join(dir, 'race_abc.lock');
    // Another host on this machine, alive (this test's parent process stands in for it).
    await writeFile(
      path,
      JSON.stringify({ pid: process.ppid, host: hostname(), id: 'h-other', since: 900 }),
    );
    const error = await failure(lockRace(dir, 'abc', me));
    expect(error.code).toBe('ANOTHER_HOST');
    expect(error.exitCode).toBe(8);
    expect(error.message).toMatch(
      new RegExp(
        `^another host is directing race abc with the results folder .* \\(process ${process.ppid}\\) \\(up since 1970-01-01T00:15:00.000Z\\)`,
      ),
    );
    // Left by a host that was killed: taken over.
    await writeFile(
      path,
      JSON.stringify({ pid: await deadPid(), host: hostname(), id: 'h-dead', since: 900 }),
    );
    const lock = await lockRace(dir, 'abc', me);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid, id: me.id });
    await lock.release();
    await expect(readFile(path)).rejects.toThrow();
  });

  it('hears a live host before publishing, and not a retained state a dead one left', async () => {
    const { connect } = await openHub();
    const stateTopic = buildTopic('abc', 'state');
    const state = (id: string) =>
      encodeMessage('state', {
        raceId: 'abc',
        trackId: 't',
        checkpoints: [],
        host: { id, since: 1_795_000_000 },
      });
    const dead = await connect('dead-host');
    await dead.publishAsync(stateTopic, Buffer.from(state('h-dead')), { qos: 1, retain: true });
    const newcomer = await connect('newcomer');
    // Only the retained state is there: nobody directs the race.
    await expect(listenForAnotherHost(newcomer, 'abc', 300)).resolves.toBeUndefined();

    const live = await connect('live-host');
    const beat = setInterval(() => {
      void live.publishAsync(stateTopic, Buffer.from(state('h-live')), { qos: 1, retain: true });
    }, 50);
    cleanups.push(() => clearInterval(beat));
    const error = await failure(listenForAnotherHost(newcomer, 'abc', 10_000));
    expect(error.code).toBe('ANOTHER_HOST');
    expect(error.message).toBe(
      'another host is directing race abc on this hub (up since 2026-11-18T11:06:40.000Z): two hosts would split the race, so this one does not publish',
    );
  });
});
