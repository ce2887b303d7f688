import { adjudicate, engineInputOf } from '@gw2race/race-engine';
import { describe, expect, it } from 'vitest';
import { isRaceAnalysisError } from '../errors';
import { recordingTrack, rejudgeRecording } from '../rejudge-recording';
import { createReplayData } from '../replay-data';
import { open, recordRace, TRACK } from './recording';

async function recording(options: Parameters<typeof recordRace>[0] = {}) {
  const replay = open(await recordRace(options));
  return { replay, recording: { header: replay.header, entries: replay.messages() } };
}

describe('re-judging a recording', () => {
  it('judges on the header track: what the engine gives for the recorded inputs, in order', async () => {
    const { recording: rec } = await recording();
    const judged = rejudgeRecording(rec);
    expect(judged.source).toBe('header');
    expect(judged.track).toEqual(TRACK);
    const inputs = rec.entries.map(engineInputOf).filter((i) => i !== undefined);
    expect(judged.results).toEqual(
      adjudicate(TRACK, inputs, { raceId: 'unit', laps: rec.header.laps }),
    );
    expect(judged.results.final).toBe(true);
    expect(judged.results.racers.map((r) => r.playerId)).toEqual(['p1', 'p2']);
  });

  it('without a track in the header, judges on the track the recorded race state describes', async () => {
    const { recording: rec } = await recording({ noHeaderTrack: true });
    expect(rec.header.track).toBeNull();
    const judged = rejudgeRecording(rec);
    expect(judged.source).toBe('state');
    expect(judged.track.checkpoints).toEqual(TRACK.checkpoints);
    // The same race, so the same finishing order and times as with the header's track.
    const withTrack = rejudgeRecording((await recording()).recording);
    expect(judged.results.racers.map((r) => [r.playerId, r.time])).toEqual(
      withTrack.results.racers.map((r) => [r.playerId, r.time]),
    );
  });

  it('refuses a recording that names no track anywhere, with a clear error', async () => {
    const { recording: rec } = await recording({ noHeaderTrack: true, noStateCheckpoints: true });
    expect(recordingTrack(rec)).toBeUndefined();
    let caught: unknown;
    try {
      rejudgeRecording(rec);
    } catch (error) {
      caught = error;
    }
    expect(isRaceAnalysisError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'NO_TRACK' });
    expect((caught as Error).message).toMatch(/race unit has no track.*cannot be re-judged/);
  });

  it('is the rule the viewer follows: the same track, results, and the error as data', async () => {
    for (const options of [{}, { noHeaderTrack: true }]) {
      const { replay, recording: rec } = await recording(options);
      const data = createReplayData(replay);
      const judged = rejudgeRecording(rec);
      expect(data.track).toEqual(judged.track);
      expect(data.results).toEqual(judged.results);
      expect(data.judgeError).toBeNull();
    }
    const { replay } = await recording({ noHeaderTrack: true, noStateCheckpoints: true });
    const data = createReplayData(replay);
    expect(data.track).toBeNull();
    expect(data.results).toBeNull();
    expect(data.state).toBeNull();
    expect(data.judgeError?.code).toBe('NO_TRACK');
  });
});
