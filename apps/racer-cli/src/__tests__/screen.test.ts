import { createColors } from '@gw2race/app-shared';
import type { RankingMessage, StateMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { type RacerScreen, renderRacerScreen } from '../screen';

const plain = createColors({ isTTY: false } as NodeJS.WriteStream);

function screen(ranking: RankingMessage, best?: RacerScreen['best']): RacerScreen {
  const state = {
    v: 1,
    raceId: 'r1',
    trackId: 'line',
    checkpoints: [],
    laps: 1,
  } as unknown as StateMessage;
  return {
    options: { raceId: 'r1', playerId: 'ann', name: 'Ann', mode: 'racer', broker: 'mqtt://h:1883' },
    racer: {
      hub: 'online',
      state,
      clock: undefined,
      estimator: { estimate: () => undefined },
      lastRttMs: undefined,
      game: 'running',
      latest: null,
      ranking,
      crossings: 2,
      courseLength: 4,
      unconfirmed: 0,
      paused: false,
      ended: undefined,
      standing: undefined,
    } as unknown as RacerScreen['racer'],
    utc: 'off',
    mumbleWhere: '',
    messages: [],
    ...(best ? { best } : {}),
  };
}

const ranking: RankingMessage = {
  raceId: 'r1',
  t: 1,
  entries: [
    {
      playerId: 'bob',
      position: 1,
      status: 'racing',
      lap: 0,
      checkpoints: 3,
      splits: [10, 20.5, 31],
    },
    {
      playerId: 'ann',
      position: 2,
      status: 'racing',
      lap: 0,
      checkpoints: 2,
      splits: [10.2, 20.1],
    },
  ],
};

describe("the racer's screen", () => {
  it('shows the last split against the fastest other racer and the own best, LiveSplit-style', () => {
    const text = renderRacerScreen(
      screen(ranking, { time: 40, splits: [10, 19.6, 30, 40] }),
      plain,
    );
    expect(text).toMatch(/Split 2 {2}20\.100 {3}\+0\.500 vs your best {3}-0\.400 vs the fastest/);
  });

  it('shows the split alone without a best run or anyone else there yet', () => {
    const solo: RankingMessage = { ...ranking, entries: ranking.entries.slice(1) };
    expect(renderRacerScreen(screen(solo), plain)).toMatch(/Split 2 {2}20\.100$/m);
  });

  it('shows the place, the next checkpoint and its distance, the HUD and the earlier standing', () => {
    const view = screen(ranking);
    view.progress = {
      phase: 'racing',
      countdown: undefined,
      raceTime: 21,
      speed: 30,
      crossings: 2,
      courseLength: 4,
      next: { index: 2, checkpointId: 3, distance: 41.6 },
      lap: { lap: 1, of: 2 },
      place: { position: 2, of: 2, status: 'racing', time: undefined, final: false },
      split: undefined,
      ended: undefined,
      tournament: undefined,
    };
    view.hudUrl = 'http://127.0.0.1:4790/';
    view.earlier = {
      standing: { position: 1, of: 6, points: 25, racePoints: 25, tied: false },
      race: 1,
      races: 3,
    };
    const text = renderRacerScreen(view, plain);
    expect(text).toContain('  Position 2 of 2 · next checkpoint 3 of 4, 42 m · lap 1 of 2');
    expect(text).toContain('HUD: http://127.0.0.1:4790/');
    expect(text).toContain('Tournament: 1st of 6 · 25 pts (+25) after race 1 of 3');
  });

  it('after a race of a tournament: the standing, then the next race once the host names it', () => {
    const view = screen(ranking);
    const racer = view.racer as unknown as Record<string, unknown>;
    racer.state = { ...(racer.state as object), tournament: { race: 1, races: 3 } };
    racer.ended = 'final results are in';
    racer.standing = { position: 2, of: 6, points: 18, racePoints: 18, tied: false };
    expect(renderRacerScreen(view, plain)).toMatch(
      /TOURNAMENT: 2 of 6 · 18 points \(\+18 this race\)\n\s+race 1 of 3: waiting for the next race…/,
    );
    racer.nextRace = { raceId: 'final', name: 'Final' };
    expect(renderRacerScreen(view, plain)).toContain('next race: Final (final)');
    racer.nextRace = { raceId: undefined };
    expect(renderRacerScreen(view, plain)).toContain('the tournament is over');
  });
});

describe("the racer's screen under hostile input (issue 18)", () => {
  it('shows no escape sequence from the track, the messages or the ranking', () => {
    const hostile: RankingMessage = {
      ...ranking,
      entries: [
        { ...(ranking.entries[0] as RankingMessage['entries'][number]), name: 'B\u001b[2Job' },
      ],
    };
    const view = screen(hostile);
    (view.racer.state as { trackId: string }).trackId = 'line\u001b]0;TITLE\u0007';
    view.messages = [
      { at: 0, text: 'ignored a bad message on race/r1/\u001b[31mx', level: 'warning' },
    ];
    const text = renderRacerScreen(view, plain);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('line\uFFFD]0;TITLE\uFFFD');
    expect(text).toContain('B\uFFFD[2Job');
    expect(text).toContain('race/r1/\uFFFD[31mx');
  });
});
