import { createSimulatedClock } from '@gw2race/clock-sync';
import {
  decodeTopicMessage,
  encodeMessage,
  type RankingEntry,
  type Track,
} from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { LiveRace } from '../live-race';
import {
  checkpointText,
  courseCounts,
  courseSummary,
  lapText,
  livePhase,
  liveStageText,
  rankingHasOrder,
  rankingValue,
  replayPhase,
} from '../race-text';
import { TRACK } from './recording';

/** A start, 12 checkpoints and a finish: 14 entries, as in the demo's Gendarran course. */
const FOURTEEN: Track = {
  ...TRACK,
  checkpoints: Array.from({ length: 14 }, (_, i) => ({
    id: i,
    ...(i === 0 ? { role: 'start' as const } : i === 13 ? { role: 'finish' as const } : {}),
    x: i * 100,
    y: 0,
    z: 0,
    r: 15,
  })),
};

const entry = (over: Partial<RankingEntry>): RankingEntry => ({
  playerId: 'p1',
  position: 1,
  status: 'racing',
  lap: 0,
  checkpoints: 0,
  ...over,
});

describe('counts as the race engine counts them', () => {
  it('a point-to-point track of 14 entries asks 13 crossings, the same in the header and the table', () => {
    const counts = courseCounts(FOURTEEN);
    expect(counts).toEqual({ perLap: 13, laps: 1, total: 13 });
    expect(courseSummary(counts!)).toBe('13 checkpoints · 1 lap');
    expect(checkpointText(entry({}), counts)).toBe('0/13');
    expect(checkpointText(entry({ checkpoints: 5 }), counts)).toBe('5/13');
    expect(checkpointText(entry({ status: 'finished', lap: 1, checkpoints: 13 }), counts)).toBe(
      '13/13',
    );
  });

  it('a circuit crosses the start line again each lap; laps count from 1 while racing', () => {
    const counts = courseCounts(TRACK, { laps: 3, circuit: true });
    expect(counts).toEqual({ perLap: 5, laps: 3, total: 15 });
    expect(courseSummary(counts!)).toBe('5 checkpoints · 3 laps');
    expect(lapText(entry({}), counts)).toBe('1/3');
    expect(lapText(entry({ lap: 1, checkpoints: 5 }), counts)).toBe('2/3');
    expect(checkpointText(entry({ lap: 1, checkpoints: 5 }), counts)).toBe('0/5');
    expect(checkpointText(entry({ lap: 1, checkpoints: 7 }), counts)).toBe('2/5');
    const finished = entry({ status: 'finished', lap: 3, checkpoints: 15 });
    expect(lapText(finished, counts)).toBe('3/3');
    expect(checkpointText(finished, counts)).toBe('5/5');
    expect(lapText(entry({ status: 'waiting' }), counts)).toBe('–');
    expect(lapText(entry({}), courseCounts(FOURTEEN))).toBe('1');
  });

  it('without a course: the credited count and the lap from 1', () => {
    expect(checkpointText(entry({ checkpoints: 4 }), undefined)).toBe('4');
    expect(lapText(entry({}), undefined)).toBe('1');
    expect(courseCounts({ ...TRACK, checkpoints: [] } as unknown as Track)).toBeUndefined();
  });

  it('nobody leads before someone crossed a checkpoint or finished', () => {
    expect(rankingHasOrder([entry({ status: 'waiting' }), entry({ position: 2 })])).toBe(false);
    expect(rankingHasOrder([entry({ checkpoints: 1 }), entry({ position: 2 })])).toBe(true);
    const counts = courseCounts(FOURTEEN);
    expect(rankingValue(entry({}), false, counts)).toBe('–');
    expect(rankingValue(entry({ status: 'waiting' }), false, counts)).toBe('WAITING');
    expect(rankingValue(entry({ checkpoints: 2 }), true, counts)).toBe('CP 2/13');
    expect(rankingValue(entry({ position: 2, gapToLeader: 1.25 }), true, counts)).toBe('+1.3');
    expect(rankingValue(entry({ status: 'finished', time: 62.5 }), true, counts)).toBe('1:02.500');
  });
});

describe('the phase a viewer shows', () => {
  function race() {
    const ms = 1_800_000_000_000;
    const clocks = createSimulatedClock({ trueMs: ms, wallMs: ms, monotonicMs: ms });
    const live = new LiveRace('r1', clocks);
    live.clock.addSample({ t1: ms, t2: ms, t3: ms, t4: ms, source: 'organizer' });
    const receive = (message: object) => {
      const decoded = decodeTopicMessage(
        'race/r1/control',
        encodeMessage('control', message as never),
      );
      if (!decoded.ok) throw decoded.error;
      live.receive(decoded.value);
    };
    return { live, clocks, receive, nowS: ms / 1000 };
  }

  it('is waiting before START, a countdown until t0, then racing, paused, finished', () => {
    const { live, clocks, receive, nowS } = race();
    expect(livePhase(live)).toBe('waiting');
    expect(liveStageText(live)).toBe('waiting for start');
    receive({ cmd: 'START', t0: nowS + 5, serverClock: nowS });
    expect(livePhase(live)).toBe('countdown');
    clocks.advance(5000);
    expect(livePhase(live)).toBe('racing');
    receive({ cmd: 'PAUSE' });
    expect(livePhase(live)).toBe('paused');
    receive({ cmd: 'RESUME' });
    receive({ cmd: 'END' });
    expect(livePhase(live)).toBe('finished');
  });

  it('of a replay follows the instant shown', () => {
    // START announced 5 s before t0.
    expect(replayPhase(-9000, -5000, null)).toBe('waiting');
    expect(replayPhase(-2000, -5000, null)).toBe('countdown');
    expect(replayPhase(-2000, null, null)).toBe('waiting');
    expect(replayPhase(3000, -5000, { stage: 'active' })).toBe('racing');
    expect(replayPhase(30_000, -5000, { final: true })).toBe('finished');
  });
});
