import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedMessage, Track } from '@gw2race/protocol';
import { rejudgeRecording } from '@gw2race/race-analysis';
import { createReplayWriter, openReplay } from '@gw2race/replay-format';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOST_PARTS_EXIT, rejudge, resultsCommand } from '../commands/results';

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
const T0 = CREATED + 2;

/** A recording of one racer riding the line at 20 m/s; with or without the track in the header and the state. */
async function recording(options: { headerTrack: boolean; stateCheckpoints: boolean }) {
  const parts: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (bytes) => void parts.push(bytes) },
    { raceId: 'res', createdAt: CREATED, track: options.headerTrack ? TRACK : null },
  );
  const messages: ReceivedMessage[] = [
    {
      kind: 'state',
      at: CREATED + 0.5,
      message: {
        raceId: 'res',
        trackId: TRACK.id,
        checkpoints: options.stateCheckpoints ? TRACK.checkpoints : [],
      },
    },
    { kind: 'control', at: CREATED + 1, message: { cmd: 'START', t0: T0 } },
  ];
  for (let i = 0; i <= 120; i++) {
    const t = T0 + i / 10;
    messages.push({
      kind: 'pos',
      at: t + 0.02,
      playerId: 'ann',
      message: { playerId: 'ann', t, x: Math.min(20 * (i / 10), 205), y: 0, z: 0, v: 20 },
    });
  }
  for (const m of messages) writer.append(m);
  await writer.close();
  return Buffer.concat(parts);
}

let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw2race-results-'));
  for (const [name, options] of Object.entries({
    header: { headerTrack: true, stateCheckpoints: true },
    state: { headerTrack: false, stateCheckpoints: true },
    none: { headerTrack: false, stateCheckpoints: false },
  })) {
    files[name] = join(dir, `${name}.replay.jsonl.gz`);
    await writeFile(files[name] as string, await recording(options));
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('gw2race-host results', () => {
  it('re-judges on the header track with the shared rule (what the viewer shows)', async () => {
    const judged = await rejudge(files.header as string);
    expect(judged.source).toBe('header');
    expect(judged.results.racers).toMatchObject([{ playerId: 'ann', status: 'finished' }]);
    const opened = openReplay(await recording({ headerTrack: true, stateCheckpoints: true }));
    if (!opened.ok) throw opened.error;
    const viewer = rejudgeRecording({
      header: opened.value.header,
      entries: opened.value.messages(),
    });
    expect(judged.results).toEqual(viewer.results);
  });

  it('judges a recording without a header track on the track its race state describes', async () => {
    const judged = await rejudge(files.state as string);
    expect(judged.source).toBe('state');
    expect(judged.results.racers).toMatchObject([{ playerId: 'ann', status: 'finished' }]);
    const withTrack = await rejudge(files.header as string);
    expect(judged.results.racers[0]?.time).toBe(withTrack.results.racers[0]?.time);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await resultsCommand([files.state as string, '--format', 'csv'])).toBe(0);
      expect(String(out.mock.calls[0]?.[0])).toContain('ann');
      expect(String(err.mock.calls[0]?.[0])).toMatch(/no track in its header/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('says what a cut-off recording lost, and --strict makes it an error', async () => {
    const whole = await recording({ headerTrack: true, stateCheckpoints: true });
    const cut = join(dir, 'cut.replay.jsonl.gz');
    await writeFile(cut, whole.subarray(0, whole.length - 40));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await resultsCommand([cut, '--format', 'csv'])).toBe(0);
      const said = err.mock.calls.map((call) => String(call[0])).join('');
      expect(said).toMatch(/^warning: /m);
      expect(said).toMatch(/could not be read .* leave out .*--strict makes this an error/);
      err.mockClear();
      expect(await resultsCommand([cut, '--format', 'csv', '--strict'])).toBe(LOST_PARTS_EXIT);
      expect(err.mock.calls.map((call) => String(call[0])).join('')).not.toMatch(/--strict/);
      expect(await resultsCommand([files.header as string, '--format', 'csv', '--strict'])).toBe(0);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('refuses a recording with no track anywhere, saying so', async () => {
    await expect(rejudge(files.none as string)).rejects.toMatchObject({
      code: 'BAD_FILE',
      message: expect.stringMatching(/has no track .*cannot be re-judged/),
    });
  });

  it('prints a table for people by default, JSON with --format json', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await resultsCommand([files.header as string])).toBe(0);
      const table = String(out.mock.calls[0]?.[0]);
      const judged = await rejudge(files.header as string);
      const time = judged.results.racers[0]?.time as number;
      expect(table).toMatch(/^Race .* on .*, 1 lap: /);
      expect(table).toMatch(/#\s+racer\s+time\s+gap\s+checkpoints/);
      expect(table).toMatch(new RegExp(`^1\\s+ann\\s+${time.toFixed(3)}\\s`, 'm'));
      expect(table).toContain('No flags.');
      out.mockClear();
      expect(await resultsCommand([files.header as string, '--format', 'json'])).toBe(0);
      expect(JSON.parse(String(out.mock.calls[0]?.[0]))).toEqual(judged.results);
      await expect(
        resultsCommand([files.header as string, '--format', 'xml']),
      ).rejects.toMatchObject({
        code: 'USAGE',
        message: expect.stringMatching(/table, json, csv or splits, got "xml"/),
      });
    } finally {
      out.mockRestore();
    }
  });
});
