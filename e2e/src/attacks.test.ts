/**
 * The attack suite (issues 14 and 18): one closed race on the embedded hub under every attack at
 * once, beside the same race of the same bots without the attacker. 127.0.0.1 only, bounded
 * loops. Each attack is refused or survived; the honest racers' results are the baseline's; the
 * host's memory before and after is printed (the host README's security section has the figures).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  connectCredential,
  createSyncSigning,
  decodeInvitation,
  encodeMessage,
  invitationKey,
} from '@gw2race/protocol';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { connackOf, until } from './checks';
import { HOST_CLI, type Program, RACER_CLI, raceOptions, start, stopAll, tempDir } from './harness';
import { type Results, raceFiles, readResults } from './results';

afterAll(stopAll);

/** The same bots in both races: player, cruise speed, seed (Bob slower, so Ann leaves first). */
const BOTS = [
  ['ann', '14', '11'],
  ['bob', '10', '12'],
] as const;
/** Idle connections the attacker holds open (fewer if the fd limit is lower). */
const IDLE = 1000;
/** Random payloads, in one bounded loop. */
const RANDOM = 5000;

/** The host's resident memory in MB (Linux /proc). */
function rssMb(program: Program): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${program.child.pid}/status`, 'utf8');
  } catch {
    return Number.NaN; // it has exited
  }
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 102.4) / 10;
}

/** A closed race of Ann, Bob and Mallory (invited, dishonest); Ann and Bob are simulated bots. */
async function openRace(raceId: string) {
  const out = tempDir();
  const host = start(`host ${raceId}`, HOST_CLI, [
    '--yes',
    '--exit-after-race', // the test waits for the host to exit once the results are written
    '--no-ntp',
    '--plain',
    '--port',
    '0',
    '--no-http',
    '--out',
    out,
    ...raceOptions(raceId, { autoStart: 2, startDelay: 4 }),
    '--players',
    'Ann,Bob,Mallory',
    '--finish-timeout',
    '20',
  ]);
  const url = (await host.waitFor(/race \S+ is closed: .* on (mqtt:\/\/[\d.]+:\d+)/))[1] as string;
  const invitations = JSON.parse(
    readFileSync(join(out, `race_${raceId}.invitations.json`), 'utf8'),
  ) as { playerId: string; code: string }[];
  const codeOf = (id: string) => invitations.find((i) => i.playerId === id)?.code as string;
  const keyOf = (id: string) => {
    const decoded = decodeInvitation(codeOf(id));
    if (!decoded.ok) throw decoded.error;
    return invitationKey(decoded.value);
  };
  const racers = () =>
    BOTS.map(([id, speed, seed]) =>
      start(`racer ${id} ${raceId}`, RACER_CLI, [
        '--invite',
        codeOf(id),
        '--simulate',
        '--sim-speed',
        speed,
        '--sim-seed',
        seed,
        '--no-ntp',
        '--plain',
        '--codec',
        'json',
      ]),
    );
  return { host, url, out, keyOf, racers };
}

/** The live results and `results --strict` of the recording (which must agree). */
async function finish(host: Program, racers: Program[], out: string): Promise<Results> {
  // Ann leaves by Ctrl-C once she has finished (see leaveWhenDone); Bob stays to the end.
  for (const racer of racers.slice(1)) expect(await racer.exited, racer.name).toBe(0);
  await racers[0]?.exited;
  expect(await host.exited).toBe(0);
  const files = raceFiles(out);
  const rejudge = start('results', HOST_CLI, [
    'results',
    files.recording,
    '--format',
    'json',
    '--strict',
  ]);
  expect(await rejudge.exited).toBe(0);
  const results = readResults(files.resultsJson);
  expect(JSON.parse(rejudge.output())).toEqual(JSON.parse(JSON.stringify(results)));
  return results;
}

/** What the honest racers got: everything but the times, which real-time bots never repeat exactly. */
function honest(results: Results) {
  return BOTS.map(([id]) => {
    const entry = results.ranking.find((e) => e.playerId === id);
    const racer = results.racers.find((r) => r.playerId === id);
    return { id, status: entry?.status, checkpoints: entry?.checkpoints, flags: racer?.flags };
  });
}

/** Ann quits (Ctrl-C) once the host has credited her finish, so the race goes on without her. */
async function leaveWhenDone(ann: Program): Promise<void> {
  await ann.waitFor(/Checkpoints 4\/4(?! \()/, 120_000);
  ann.kill('SIGINT');
  await ann.exited;
}

/** Opens `count` MQTT connections that CONNECT and then say nothing (keepalive off). */
async function idleConnections(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const connectPacket = (id: string) => {
    const body = Buffer.concat([
      Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 0]),
      Buffer.from([0, id.length]),
      Buffer.from(id),
    ]);
    return Buffer.concat([Buffer.from([0x10, body.length]), body]);
  };
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(connectPacket(`idle-${i}`));
    sockets.push(socket);
  }
  await until(() => sockets.every((s) => s.bytesRead > 0 || s.destroyed), 'CONNACKs', 120_000);
  return sockets;
}

describe('attacks on a closed race (embedded hub)', () => {
  it('refuses or survives every attack; the honest racers get the results of a race without the attacker', async () => {
    const base = await openRace('atk-base');
    const attacked = await openRace('atk-race');
    const { host, url, keyOf } = attacked;
    const RACE = 'atk-race';
    const port = Number(new URL(url).port);
    const figures: string[] = [];
    const rssStart = rssMb(host);
    const began = performance.now();
    const step = (what: string) =>
      console.log(`[attacks ${((performance.now() - began) / 1000).toFixed(1)} s] ${what}`);

    // Impersonation before the real racer is connected: no credential, a will naming Ann,
    // Mallory's credential for Ann's id.
    const mallory = await connectCredential(keyOf('mallory'));
    const annWill = {
      topic: `race/${RACE}/presence`,
      payload: Buffer.from(encodeMessage('presence', { playerId: 'ann', event: 'disconnected' })),
      qos: 1 as const,
      retain: false,
    };
    expect(await connackOf(url, { clientId: 'squat-1', username: 'ann' })).toBe(5);
    expect(await connackOf(url, { clientId: 'squat-2', will: annWill })).toBe(5);
    expect(await connackOf(url, { username: 'ann', password: mallory })).toBe(4);
    expect(
      await connackOf(url, { username: 'ann', password: await connectCredential(randomBytes(32)) }),
    ).toBe(4);

    step('// 1,000 idle connections');
    // 1,000 idle connections (the test's own fds permitting), held through the race.
    const idle = await idleConnections(port, IDLE);
    const idleOpen = idle.filter((s) => !s.destroyed).length;
    const rssIdle = rssMb(host);
    figures.push(`${idleOpen} idle connections: host RSS ${rssStart} -> ${rssIdle} MB`);

    step('// Mallory, invited and dishonest');
    // Mallory, invited and dishonest, watches everything and captures Ann's signed messages.
    const attacker = await mqtt.connectAsync(url, {
      clientId: 'mallory-raw',
      protocolVersion: 4,
      username: 'mallory',
      password: mallory,
      reconnectPeriod: 0,
    });
    const captured = { pos: [] as Buffer[], checkpoint: [] as Buffer[] };
    attacker.on('message', (topic, payload) => {
      if (topic === `race/${RACE}/pos/ann`) captured.pos.push(Buffer.from(payload));
      if (topic === `race/${RACE}/checkpoints` && payload.includes('"ann"'))
        captured.checkpoint.push(Buffer.from(payload));
    });
    await attacker.subscribeAsync([`race/${RACE}/pos/ann`, `race/${RACE}/checkpoints`]);
    // $SYS (where aedes lists every client id, the takeover's first step) is closed to her.
    expect(await attacker.subscribeAsync('$SYS/#').catch((e: Error) => e)).toBeInstanceOf(Error);

    step('const baseRacers = base.racers();');
    const baseRacers = base.racers();
    const racers = attacked.racers();
    const annLeft = leaveWhenDone(racers[0] as Program);
    const baseAnnLeft = leaveWhenDone(baseRacers[0] as Program);
    await until(() => captured.checkpoint.length >= 1, "Ann's first signed checkpoint", 90_000);

    step('// Impersonation while Ann');
    // Impersonation while Ann is connected: her id again, with and without a credential.
    expect(await connackOf(url, { clientId: 'squat-3', username: 'ann' })).toBe(5);
    expect(await connackOf(url, { username: 'ann', password: mallory })).toBe(4);
    const publish = (topic: string, payload: Uint8Array | string, retain = false) =>
      attacker.publishAsync(`race/${RACE}/${topic}`, Buffer.from(payload), { qos: 1, retain });
    // Ann's positions from Mallory's connection; Ann's captured position replayed on Ann's topic
    // and on Mallory's; Ann's captured checkpoint replayed (a redelivery to the gate: the same
    // crossing again, which changes nothing).
    await publish('pos/ann', encodeMessage('pos', { playerId: 'ann', t: 1, x: 0, y: 0, z: 0 }));
    await publish('pos/ann', captured.pos[0] as Buffer);
    await publish('pos/mallory', captured.pos[0] as Buffer);
    await publish('checkpoints', captured.checkpoint[0] as Buffer);
    // Fake START, ABORT and MSG; the retained state and ranking overwritten.
    await publish('control', encodeMessage('control', { cmd: 'START', t0: 1 }));
    await publish('control', encodeMessage('control', { cmd: 'ABORT', reason: 'fake' }));
    await publish('control', encodeMessage('control', { cmd: 'MSG', text: 'organizer: go home' }));
    await publish('state', '{"raceId":"atk-race","trackId":"fake","checkpoints":[]}', true);
    await publish('ranking', '{"raceId":"atk-race","t":1,"entries":[]}', true);
    // A chat claiming to be the organizer, a join flood in made-up names (signed by Mallory).
    await publish('chat', encodeMessage('chat', { text: 'the race is cancelled' }));
    const signing = createSyncSigning((k, d) => createHmac('sha256', k).update(d).digest());
    for (let n = 0; n < 300; n++)
      attacker.publish(
        `race/${RACE}/presence`,
        Buffer.from(
          signing.encodeSigned(
            'presence',
            `race/${RACE}/presence`,
            { playerId: `bot${n}`, event: 'join', mode: 'racer', name: `Bot ${n}` },
            Date.now() * 1000 + n,
            keyOf('mallory'),
          ),
        ),
        { qos: 0 },
      );
    step('random payloads');
    // Many random payloads, bounded, on every topic Mallory could try.
    const topics = ['presence', 'checkpoints', 'ping', 'chat', 'pos/mallory', 'control', 'x/y'];
    for (let n = 0; n < RANDOM; n++)
      attacker.publish(`race/${RACE}/${topics[n % topics.length]}`, randomBytes(1 + (n % 3000)), {
        qos: 0,
      });
    await attacker.publishAsync(`race/${RACE}/chat`, 'x', { qos: 1 }); // the flood went out
    const rssFlood = rssMb(host);
    figures.push(`forgeries, 300 joins, ${RANDOM} random payloads: host RSS ${rssFlood} MB`);
    // 1 MB and 50 MB payloads, each on a connection of its own: over the hub's packet cap, the
    // connection is closed from the packet's header, before its body is read.
    for (const mb of [1, 50]) {
      step(`${mb} MB payload`);
      // Anonymous (Mallory's player is held by her first connection).
      const big = await mqtt.connectAsync(url, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        clientId: `mallory-${mb}mb`,
      });
      const closed = new Promise((resolve) => big.once('close', () => resolve(undefined)));
      big.publish(`race/${RACE}/chat`, Buffer.alloc(mb * 1024 * 1024, 0x41), { qos: 0 });
      await closed;
      big.end(true);
      figures.push(`${mb} MB payload: connection closed; host RSS ${rssMb(host)} MB`);
    }

    step('// A viewer arriving now');
    // A viewer arriving now gets the host's state and ranking, not Mallory's.
    const late = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
    const retained: Record<string, string> = {};
    late.on('message', (topic, payload) => {
      retained[topic] = payload.toString();
    });
    await late.subscribeAsync([`race/${RACE}/state`, `race/${RACE}/ranking`]);
    await until(() => Object.keys(retained).length === 2, 'the retained state and ranking');
    expect(JSON.parse(retained[`race/${RACE}/state`] as string)).toMatchObject({
      raceId: RACE,
      trackId: expect.not.stringMatching(/^fake$/),
    });
    expect(JSON.parse(retained[`race/${RACE}/ranking`] as string).entries.length).toBeGreaterThan(
      0,
    );
    await late.endAsync();

    step('// Impersonation after Ann left');
    // Impersonation after Ann left (Bob is still riding).
    await Promise.all([annLeft, baseAnnLeft]);
    expect(host.child.exitCode).toBeNull();
    expect(await connackOf(url, { clientId: 'squat-4', username: 'ann' })).toBe(5);
    expect(await connackOf(url, { username: 'ann', password: mallory })).toBe(4);
    const rssEnd = rssMb(host);
    figures.push(`at the end of the race: host RSS ${rssEnd} MB`);
    await attacker.endAsync(true);
    for (const socket of idle) socket.destroy();

    step('const [baseline, results] = await Promis');
    const [baseline, results] = await Promise.all([
      finish(base.host, baseRacers, base.out),
      finish(host, racers, attacked.out),
    ]);
    const output = host.output();
    // What was refused, and where.
    expect(output).toContain(
      'the hub refused a publish on race/atk-race/pos/ann from mallory-raw: this connection sends positions for mallory, not ann',
    );
    expect(output).toMatch(
      /refused a publish on race\/atk-race\/control from mallory-raw: only the host/,
    );
    expect(output).toMatch(
      /refused a publish on race\/atk-race\/chat from mallory-raw: a chat from player/,
    );
    expect(output).toMatch(/refused a publish on race\/atk-race\/state from mallory-raw/);
    expect(output).toMatch(/refused a publish on race\/atk-race\/ranking from mallory-raw/);
    expect(output).toMatch(
      /refused a message on race\/atk-race\/pos\/mallory \(moved\): signed for race\/atk-race\/pos\/ann/,
    );
    expect(output).toMatch(/refused a message on race\/atk-race\/presence \(unknown-sender\)/);
    // The join flood made neither players nor flags (one per made-up id, before).
    expect(output).not.toMatch(/bot\d+ joined|FLAG warning signature bot/);
    // The honest racers: the same results as without the attacker, unflagged; nobody else ranked.
    expect(honest(results)).toEqual(honest(baseline));
    for (const row of honest(results)) {
      expect(row.status, row.id).toBe('finished');
      expect(row.flags, row.id).toEqual([]);
    }
    expect(results.ranking.map((e) => e.playerId).sort()).toEqual(['ann', 'bob']);
    expect(results.aborted).toBe(false);
    // Memory stays bounded: a 50 MB payload or the floods never land in the host.
    expect(rssEnd).toBeLessThan(rssStart + 150);
    const times = BOTS.map(([id]) => {
      const t = results.ranking.find((e) => e.playerId === id)?.time ?? Number.NaN;
      const b = baseline.ranking.find((e) => e.playerId === id)?.time ?? Number.NaN;
      return `${id} ${t.toFixed(3)} s (without the attacker ${b.toFixed(3)} s)`;
    });
    console.log(`attacks on the embedded hub: ${figures.join('; ')}; ${times.join('; ')}`);
  }, 240_000);
});
