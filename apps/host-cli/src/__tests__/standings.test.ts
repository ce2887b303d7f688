import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedMessage, TournamentInput, Track } from '@gw2race/protocol';
import { parseStandings } from '@gw2race/protocol';
import { createReplayWriter } from '@gw2race/replay-format';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { standingsCommand } from '../commands/standings';

const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'line',
  name: 'Line',
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 0, z: 0, r: 10 },
    { id: 1, x: 100, y: 0, z: 0, r: 10 },
    { id: 2, role: 'finish', x: 200, y: 0, z: 0, r: 10 },
  ],
};
const CREATED = 1_800_000_000;

/** A recorded race on the line: each racer at its speed (m/s), stopping at `stop` metres; then END. */
async function recording(raceId: string, racers: [string, number, number][], end = true) {
  const parts: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (bytes) => void parts.push(bytes) },
    { raceId, createdAt: CREATED, track: TRACK },
  );
  const t0 = CREATED + 2;
  const messages: ReceivedMessage[] = [
    { kind: 'control', at: CREATED + 1, message: { cmd: 'START', t0 } },
  ];
  for (let i = 0; i <= 150; i++) {
    const t = t0 + i / 10;
    for (const [playerId, speed, stop] of racers)
      messages.push({
        kind: 'pos',
        at: t + 0.02,
        playerId,
        message: { playerId, t, x: Math.min(speed * (i / 10), stop), y: 0, z: 0, v: speed },
      });
  }
  if (end) messages.push({ kind: 'control', at: t0 + 16, message: { cmd: 'END' } });
  for (const m of messages) writer.append(m);
  await writer.close();
  return Buffer.concat(parts);
}

const CUP: TournamentInput = {
  format: 'gw2race-tournament',
  version: 1,
  name: 'Line Cup',
  races: [
    {
      id: 'heat-1',
      kind: 'heat',
      track: 'line.track.json',
      entry: { type: 'fixed', players: ['ann', 'bob', 'cat'].map((playerId) => ({ playerId })) },
    },
    {
      id: 'heat-2',
      kind: 'heat',
      track: 'line.track.json',
      entry: { type: 'fixed', players: ['eve', 'fay', 'gus'].map((playerId) => ({ playerId })) },
    },
    {
      id: 'final',
      kind: 'final',
      track: 'line.track.json',
      entry: { type: 'qualified', from: ['heat-1', 'heat-2'], top: 2 },
    },
  ],
};

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw2race-standings-'));
  await mkdir(at('cup'));
  await mkdir(at('empty'));
  await writeFile(at('cup.tournament.json'), JSON.stringify(CUP));
  // cat stops half-way (DNF); gus is slowest; fay stops in the final.
  const races: [string, [string, number, number][]][] = [
    [
      'heat-1',
      [
        ['ann', 25, 205],
        ['bob', 20, 205],
        ['cat', 20, 120],
      ],
    ],
    [
      'heat-2',
      [
        ['eve', 22, 205],
        ['fay', 18, 205],
        ['gus', 16, 205],
      ],
    ],
    [
      'final',
      [
        ['eve', 25, 205],
        ['ann', 20, 205],
        ['bob', 18, 205],
        ['fay', 20, 150],
      ],
    ],
  ];
  for (const [id, racers] of races)
    await writeFile(
      at(`cup/race_${id}_20270115T120000Z.replay.jsonl.gz`),
      await recording(id, racers),
    );
  await writeFile(at('other.replay.jsonl.gz'), await recording('spring-1', [['ann', 20, 205]]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the command, returning its stdout and stderr. */
async function run(args: string[]) {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await standingsCommand(args);
    const text = (spy: typeof out) => spy.mock.calls.map((call) => String(call[0])).join('');
    return { code, stdout: text(out), stderr: text(err) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('gw2race-host standings', () => {
  it('re-judges a folder of recordings into the standings computed by hand (JSON)', async () => {
    const { code, stdout, stderr } = await run([at('cup.tournament.json'), at('cup'), '--json']);
    expect([code, stderr]).toEqual([0, '']);
    const parsed = parseStandings(JSON.parse(stdout));
    if (!parsed.ok) throw parsed.error;
    const standings = parsed.value;
    // heat 1: ann 25, bob 18, cat DNF; heat 2: eve 25, fay 18, gus 15;
    // final (eve, ann, bob, fay by qualification): eve 25, ann 18, bob 15, fay DNF.
    expect(standings.races[2]?.entrants).toEqual(['ann', 'eve', 'bob', 'fay']);
    expect(standings.standings.map((s) => [s.position, s.playerId, s.points])).toEqual([
      [1, 'eve', 50],
      [2, 'ann', 43],
      [3, 'bob', 33],
      [4, 'fay', 18],
      [5, 'gus', 15],
      [6, 'cat', 0],
    ]);
    expect(standings.complete).toBe(true);
  });

  it('prints a table for people by default, and CSV', async () => {
    const table = await run([at('cup.tournament.json'), at('cup')]);
    expect(table.stdout).toMatch(/^Line Cup: standings after 3 of 3 races\n/);
    expect(table.stdout).toMatch(/^pos\s+racer\s+points\s+wins\s+heat-1\s+heat-2\s+final$/m);
    expect(table.stdout).toMatch(/^1\s+eve\s+50\s+2\s+-\s+25\s+25$/m);
    expect(table.stdout).toContain('every race has results');
    const csv = await run([at('cup.tournament.json'), at('cup'), '--csv']);
    expect(csv.stdout.split('\r\n')[1]).toMatch(/^1,eve,,50,2,2,1,\d+\.\d+,2,false,,25,25$/);
  });

  it('with the heats only: the final grid to come', async () => {
    const files = ['heat-1', 'heat-2'].map((id) =>
      at(`cup/race_${id}_20270115T120000Z.replay.jsonl.gz`),
    );
    const { stdout } = await run([at('cup.tournament.json'), ...files]);
    expect(stdout).toMatch(/standings after 2 of 3 races/);
    expect(stdout).toContain('next: final (final), grid: ann, eve, bob, fay');
  });

  it.each([
    [
      'a missing recording',
      () => [at('cup.tournament.json'), at('nope.replay.jsonl.gz')],
      () => `cannot read ${at('nope.replay.jsonl.gz')}: no such file or folder`,
    ],
    [
      'a foreign recording',
      () => [at('cup.tournament.json'), at('other.replay.jsonl.gz')],
      () =>
        `${at('other.replay.jsonl.gz')} is a recording of race spring-1, which is not a race of the tournament Line Cup`,
    ],
    [
      'a folder without recordings',
      () => [at('cup.tournament.json'), at('empty')],
      () => `${at('empty')} holds no recordings (*.replay.jsonl.gz)`,
    ],
    [
      'a missing tournament file',
      () => [at('none.tournament.json'), at('cup')],
      () => `cannot read the tournament ${at('none.tournament.json')}: no such file`,
    ],
    [
      'a recording given as the tournament',
      () => [at('other.replay.jsonl.gz'), at('cup')],
      () => new RegExp(`^${at('other.replay.jsonl.gz').replaceAll('.', '\\.')} is not valid JSON`),
    ],
  ])('refuses %s with one clear line', async (_what, args, message) => {
    const refused = standingsCommand(args());
    await expect(refused).rejects.toMatchObject({ code: 'BAD_FILE', message: message() });
  });

  it('refuses two recordings of one race, and a bad tournament, naming the reason', async () => {
    const twice = at('twice.replay.jsonl.gz');
    await writeFile(twice, await recording('heat-1', [['ann', 20, 205]]));
    await expect(
      standingsCommand([at('cup.tournament.json'), at('cup'), twice]),
    ).rejects.toMatchObject({
      message: `two recordings of race heat-1: ${at('cup/race_heat-1_20270115T120000Z.replay.jsonl.gz')} and ${twice}; give only the one that counts`,
    });
    const bad = at('bad.tournament.json');
    await writeFile(bad, JSON.stringify({ ...CUP, races: [...(CUP.races ?? [])].reverse() }));
    await expect(standingsCommand([bad, at('cup')])).rejects.toMatchObject({
      message: `${bad}: invalid tournament at races.0.entry.from.0: race "final" qualifies from "heat-1", which runs later (races run in the order listed)`,
    });
    await expect(standingsCommand([at('cup.tournament.json')])).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});
