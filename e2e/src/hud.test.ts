import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, HOST_CLI, RACER_CLI, SHORT_TRACK, start, stopAll, tempDir } from './harness';
import { launchChromium, watchProblems } from './web-browser';

afterAll(stopAll);

/** Two races on the same course: Bob's first run becomes the best his second is timed against. */
const SERIES = {
  format: 'gw2race-tournament',
  version: 1,
  name: 'HUD Cup',
  races: ['e2e-hud-1', 'e2e-hud-2'].map((id, i) => ({
    id,
    kind: i === 0 ? 'heat' : 'final',
    name: i === 0 ? 'Heat' : 'Final',
    track: SHORT_TRACK,
    entry: { type: 'fixed', players: [{ playerId: 'ann' }, { playerId: 'bob' }] },
  })),
};

/** TCP ports process `pid` listens on (Linux: its socket inodes in /proc/net/tcp{,6}). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
      if (match) inodes.add(match[1] as string);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT" in hex; state 0A is LISTEN; column 9 the inode.
      if (cols[3] === '0A' && inodes.has(cols[9] as string))
        ports.push(Number.parseInt((cols[1] as string).split(':')[1] as string, 16));
    }
  }
  return ports;
}

type Lines = Record<string, { text: string; tone: string | undefined }>;

/** Every HUD line as the page shows it: each element's text and colour. */
function shown(page: Page): Promise<Lines> {
  return page.$$eval('[data-hud]', (elements) =>
    Object.fromEntries(
      elements.map((e) => [
        (e as HTMLElement).dataset.hud,
        { text: e.textContent ?? '', tone: (e as HTMLElement).dataset.tone },
      ]),
    ),
  );
}

/** Polls the page until `holds`; returns the lines then, and every phase seen on the way. */
async function until(
  page: Page,
  holds: (lines: Lines) => boolean,
  phases: Set<string>,
  timeoutMs = 120_000,
): Promise<Lines> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const lines = await shown(page);
    if (lines.phase?.text) phases.add(lines.phase.text);
    if (holds(lines)) return lines;
    if (performance.now() > deadline)
      throw new Error(`the HUD never got there; it shows ${JSON.stringify(lines)}`);
    await page.waitForTimeout(50);
  }
}

/** A signed delta as the HUD writes it (`+0.750 vs leader`) → seconds. */
const seconds = (text: string) => Number(text.split(' ')[0]);

/** Bob's and Ann's race times at each crossing, from a race's results file. */
function splitsOf(out: string, raceId: string): Record<string, number[]> {
  const file = readdirSync(out).find(
    (f) => f.startsWith(`race_${raceId}_`) && f.endsWith('.results.json'),
  );
  if (!file) throw new Error(`no results of ${raceId} in ${out}`);
  const results = JSON.parse(readFileSync(join(out, file), 'utf8')) as {
    racers: { playerId: string; splits: number[] }[];
  };
  return Object.fromEntries(results.racers.map((r) => [r.playerId, r.splits]));
}

describe('the racer HUD', () => {
  it('shows the countdown, position, split deltas against the leader and the own best, the result and the standing, live, race after race', async () => {
    const dir = tempDir();
    const file = join(dir, 'hud.tournament.json');
    writeFileSync(file, JSON.stringify(SERIES));
    const out = join(dir, 'out');
    const host = start('host', HOST_CLI, [
      'tournament',
      file,
      '--out',
      out,
      '--no-ntp',
      '--port',
      '0',
      '--http-port',
      '0',
      '--auto-start',
      'all',
      '--start-delay',
      '4',
      '--auto-advance',
      '2',
      '--finish-timeout',
      '60',
    ]);
    const url = (
      await host.waitFor(/race e2e-hud-1 is open on (mqtt:\/\/[\d.]+:\d+)/)
    )[1] as string;
    const racer = (name: string, speed: number, extra: string[]) =>
      start(
        `racer ${name}`,
        RACER_CLI,
        [
          '--race',
          'e2e-hud-1',
          '--broker',
          url,
          '--name',
          name,
          '--simulate',
          '--no-ntp',
          '--plain',
          '--sim-speed',
          String(speed),
          '--wait-for-race',
          '120',
          ...extra,
        ],
        { GW2RACE_CONFIG_DIR: join(dir, `config-${name}`) },
      );
    const ann = racer('ann', 30, []);
    const bob = racer('bob', 18, ['--hud', '0', '--stay']);
    const hudUrl = (await bob.waitFor(/HUD: (http:\/\/127\.0\.0\.1:\d+\/)/))[1] as string;

    // Only the racer with --hud listens, on the port it printed; the other opens none.
    await ann.waitFor(/Clock: organizer/);
    expect(listeningPorts(ann.child.pid as number)).toEqual([]);
    expect(listeningPorts(bob.child.pid as number)).toEqual([Number(new URL(hudUrl).port)]);

    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      const response = await page.goto(hudUrl);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
      const phases = new Set<string>();

      // Race 1: Bob, slower, is second; his last split is behind the leader's (red).
      const first = await until(
        page,
        (l) => l.standing?.text.startsWith('TOURNAMENT') ?? false,
        phases,
      );
      expect(phases).toContain('STARTS IN');
      expect(phases).toContain('RACING');
      expect(first.title?.text).toBe('bob · E2E short course');
      expect(first.phase?.text).toBe('RACE OVER');
      expect(first.position?.text).toBe('P2/2');
      expect(first.result?.text).toMatch(/^2nd of 2 · \d+\.\d{3}$/);
      expect(first.standing?.text).toBe('TOURNAMENT 2nd of 2 · 18 pts (+18)');
      expect(first.vsBest?.text).toBe(''); // no best run yet
      const race1 = splitsOf(out, 'e2e-hud-1');
      const bob1 = race1.bob as number[];
      const ann1 = race1.ann as number[];
      expect(first.split?.text).toMatch(new RegExp(`^SPLIT ${bob1.length} `));
      expect(first.vsLeader?.tone).toBe('behind');
      expect(seconds(first.vsLeader?.text ?? '')).toBeCloseTo(
        (bob1.at(-1) as number) - (ann1.at(-1) as number),
        2,
      );

      // Race 2: the standing carried over while it runs, then his split against his own best.
      const carried = await until(
        page,
        (l) => l.phase?.text === 'RACING' && (l.title?.text ?? '') !== '',
        phases,
      );
      expect(carried.standing?.text).toBe('TOURNAMENT 2nd of 2 · 18 pts (+18) after race 1/2');
      expect(carried.upNext?.text).toBe('RACE 2 OF 2');
      expect(carried.next?.text).toMatch(/^NEXT \d\/4 · \d+ m$/);
      expect(carried.speed?.text).toMatch(/^\d+\.\d m\/s$/);
      const last = await until(page, (l) => l.upNext?.text === 'TOURNAMENT OVER', phases);
      expect(last.standing?.text).toBe('TOURNAMENT 2nd of 2 · 36 pts (+18)');
      const bob2 = splitsOf(out, 'e2e-hud-2').bob as number[];
      const vsBest = (bob2.at(-1) as number) - (bob1.at(-1) as number);
      expect(seconds(last.vsBest?.text ?? '')).toBeCloseTo(vsBest, 2);
      expect(last.vsBest?.tone).toBe(vsBest < 0 ? 'ahead' : vsBest > 0 ? 'behind' : 'even');
      expect(last.vsBest?.text).toMatch(/ vs your best$/);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
    expect(await exitOf(host, 120_000)).toBe(0);
    expect(await exitOf(ann, 30_000)).toBe(0);
    // Bob stays (--stay) with his HUD up until he quits.
    bob.kill('SIGINT');
    expect(await exitOf(bob, 30_000)).toBe(130);
    expect(bob.output()).toContain('next race: Final; following');
    expect(bob.output()).toContain(
      'A personal best on this course: kept to race against next time.',
    );
  }, 400_000);
});
