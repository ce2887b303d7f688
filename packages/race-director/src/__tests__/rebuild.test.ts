import type { ReceivedMessage } from '@gw2race/protocol';
import { raceResults } from '@gw2race/race-engine';
import { createReplayWriter, readReplay } from '@gw2race/replay-format';
import { describe, expect, it } from 'vitest';
import { listClients } from '../client-table';
import { direct } from '../direct';
import type { DirectorInput } from '../director-input';
import type { DirectorState } from '../director-state';
import { rebuildDirector } from '../rebuild-director';
import { fakeRace, T } from './fake-race';

/** A race recorded into a real (in-memory) recording, as a host records it. */
function recordedRace() {
  const parts: Uint8Array[] = [];
  const writer = createReplayWriter(
    { write: (bytes) => void parts.push(bytes) },
    { raceId: 'unit', createdAt: T },
  );
  const race = fakeRace({ recording: writer.header });
  let recorded = 0;
  /** Appends what the director asked to record so far; the recording's bytes. */
  const bytes = async () => {
    for (const effect of race.effects.slice(recorded))
      if (effect.type === 'record') writer.append(effect.entry);
    recorded = race.effects.length;
    await writer.flush();
    return Buffer.concat(parts);
  };
  return { race, bytes, header: writer.header };
}

async function entriesOf(bytes: Uint8Array): Promise<ReceivedMessage[]> {
  const entries: ReceivedMessage[] = [];
  for await (const entry of readReplay(bytes)) if (entry.kind !== 'unknown') entries.push(entry);
  return entries;
}

const ms = (t: number | null | undefined) => (typeof t === 'number' ? Math.round(t * 1000) : t);

/**
 * What a rebuild must give back. Live, the director's times are receive times; the recording
 * keeps them to the millisecond, and puts an entry after the position it followed. Not
 * recorded: the state republished unchanged (its clock), answers to state requests, and the
 * flush bookkeeping.
 */
function judged(state: DirectorState) {
  const {
    unflushed: _u,
    lastRecordAt: _l,
    stateAt: _s,
    rankingAt: _r,
    answeredAt: _a,
    clients,
    ...rest
  } = state;
  return {
    ...rest,
    firstFinishAt: ms(rest.firstFinishAt),
    stateMessage: { ...rest.stateMessage, serverClock: undefined },
    clients: listClients(clients).map((c) => ({
      ...c,
      lastSeen: ms(c.lastSeen),
      joinedAt: ms(c.joinedAt),
    })),
  };
}

function feedAll(state: DirectorState, inputs: readonly DirectorInput[]): DirectorState {
  let next = state;
  for (const input of inputs) [next] = direct(next, input);
  return next;
}

describe('rebuilding a director from its recording', () => {
  it('gives back the state it had, mid-race, paused and resumed, and goes on to the same results', async () => {
    const { race, bytes } = recordedRace();
    race.open();
    race.join('a');
    race.join('b');
    race.command({ action: 'start' });
    race.advance(11);
    race.ride('a');
    race.advance(1);
    race.command({ action: 'pause' });
    race.advance(1);
    race.command({ action: 'resume' });
    race.ride('b', 0, 2);
    race.advance(0.5);
    const cut = race.inputs.length;
    const live = race.state;
    const entries = await entriesOf(await bytes());

    const rebuilt = rebuildDirector(live.config, entries);
    expect(judged(rebuilt)).toEqual(judged(live));
    expect(Math.abs((rebuilt.rankingAt ?? 0) - (live.rankingAt ?? 0))).toBeLessThan(0.2);
    expect(rebuilt.stage).toBe('active');
    expect(rebuilt.engine.t0).not.toBeNull();
    expect(rebuilt.firstFinishAt).not.toBeNull();
    expect(listClients(rebuilt.clients).map((c) => c.name)).toEqual(['A', 'B']);

    // The host comes back 20 s later: everyone followed again, state and ranking out, ticks on.
    const [reopened, effects] = direct(rebuilt, { type: 'reopen', at: race.now + 20 });
    expect(
      effects.filter((e) => e.type === 'follow').map((e) => e.type === 'follow' && e.playerId),
    ).toEqual(['a', 'b']);
    const kinds = effects.flatMap((e) => (e.type === 'publish' ? [e.kind] : []));
    expect(kinds).toEqual(['state', 'ranking']);
    expect(effects.filter((e) => e.type === 'record')).toHaveLength(2);
    const line = effects.find((e) => e.type === 'log');
    expect(line?.type === 'log' && line.line).toMatch(
      /^resumed: nothing was recorded for 20\.\d s$/,
    );
    expect(effects.at(-1)).toEqual({ type: 'schedule', at: race.now + 20.25 });
    // The outage does not count against the racers: silence counts from the reopen.
    expect(
      listClients(reopened.clients).every((c) => c.connected && c.lastSeen === race.now + 20),
    ).toBe(true);

    // The rest of the race, the same inputs on both: the same results.
    race.ride('b', 2);
    race.advance(3);
    const rest = race.inputs
      .slice(cut)
      .map((input) =>
        input.type === 'message'
          ? { ...input, received: { ...input.received, at: input.received.at + 20 } }
          : input.type === 'recorded'
            ? input
            : { ...input, at: input.at + 20 },
      ) as DirectorInput[];
    const resumed = feedAll(reopened, rest);
    const uninterrupted = raceResults(race.state.engine);
    const after = raceResults(resumed.engine);
    expect(after.ranking.map((r) => [r.playerId, r.status])).toEqual(
      uninterrupted.ranking.map((r) => [r.playerId, r.status]),
    );
    expect(after.ranking.map((r) => r.time?.toFixed(3))).toEqual(
      uninterrupted.ranking.map((r) => r.time?.toFixed(3)),
    );
  });

  it('knows a finished race from its recording: over, closed, nothing to resume', async () => {
    const { race, bytes } = recordedRace();
    race.open();
    race.join('a');
    race.command({ action: 'start' });
    race.advance(11);
    race.ride('a');
    race.advance(3);
    expect(race.state.stage).toBe('post');
    const rebuilt = rebuildDirector(race.state.config, await entriesOf(await bytes()));
    expect(rebuilt.stage).toBe('post');
    expect(rebuilt.closed).toBe(true);
    expect(rebuilt.endReason).toBe(race.state.endReason);
    const [, effects] = direct(rebuilt, { type: 'reopen', at: race.now + 5 });
    expect(effects).toEqual([{ type: 'log', line: 'the race is over: nothing to resume' }]);
  });

  it('judges the rulings recorded after the end: the rebuilt results are the amended ones', async () => {
    const { race, bytes, header } = recordedRace();
    race.open();
    race.join('a');
    race.join('b');
    race.command({ action: 'start' });
    race.advance(11);
    race.ride('a');
    race.ride('b');
    race.advance(3);
    expect(race.state.stage).toBe('post');
    race.advance(20);
    race.command({ action: 'ruling', playerId: 'a', ruling: 'dsq', reason: 'cut' });
    const amended = raceResults(race.state.engine);
    expect(amended.ranking.map((r) => [r.playerId, r.status])).toEqual([
      ['b', 'finished'],
      ['a', 'dsq'],
    ]);
    const entries = await entriesOf(await bytes());
    expect(entries.at(-2)).toMatchObject({ kind: 'control', message: { cmd: 'RULING' } });
    expect(entries.at(-1)).toMatchObject({ kind: 'ranking', message: { final: true } });
    const rebuilt = rebuildDirector({ ...race.state.config, recording: header }, entries);
    expect(rebuilt.stage).toBe('post');
    expect(raceResults(rebuilt.engine)).toEqual(amended);
  });

  it('names its host process in every state, the new one after a resume', async () => {
    const { race, bytes } = recordedRace();
    const first = { id: 'host-a', since: T };
    let state: DirectorState = { ...race.state, config: { ...race.state.config, host: first } };
    [state] = direct(state, { type: 'open', at: T });
    expect(state.stateMessage.host).toEqual(first);
    race.open();
    race.join('a');
    const rebuilt = rebuildDirector(
      { ...race.state.config, host: { id: 'host-b', since: T + 30 } },
      await entriesOf(await bytes()),
    );
    const [, effects] = direct(rebuilt, { type: 'reopen', at: T + 31 });
    const published = effects.flatMap((e) =>
      e.type === 'publish' && e.kind === 'state' ? [e.message] : [],
    );
    expect(published.map((m) => 'host' in m && m.host)).toEqual([{ id: 'host-b', since: T + 30 }]);
  });

  it('feeds back recorded lines with no effects, and skips kinds it does not know', () => {
    const race = fakeRace();
    const [, effects] = direct(race.state, {
      type: 'recorded',
      entry: { kind: 'presence', at: T, message: { playerId: 'z', event: 'join', mode: 'racer' } },
    });
    expect(effects).toEqual([]);
    const rebuilt = rebuildDirector(race.state.config, [{ kind: 'unknown' }]);
    expect(listClients(rebuilt.clients)).toEqual([]);
  });
});
