import { createOffsetEstimator, createSimulatedClock } from '@gw2race/clock-sync';
import { parseHostInfo as parseInfo } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { describeCommand, sendControl } from '../core/control-client';
import { sampleHostClock } from '../core/host-clock';
import { fetchHostInfo, hubUrlOf, routeOf, takeToken } from '../core/host-info';

/** The viewer's reading of an `/api/info` answer (protocol's schema), `undefined` when refused. */
const parseHostInfo = (value: unknown) => {
  const parsed = parseInfo(value);
  return parsed.ok ? parsed.value : undefined;
};

const reply = (status: number, body: unknown) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

describe('organizer commands', () => {
  it('sends the token as a bearer and the command as JSON', async () => {
    const calls: [string, RequestInit][] = [];
    const outcome = await sendControl({ action: 'start', delay: 5 }, 'secret', (url, init) => {
      calls.push([url, init]);
      return reply(200, { ok: true });
    });
    expect(outcome).toEqual({ ok: true });
    const [url, init] = calls[0] as [string, RequestInit];
    expect(url).toBe('/api/control');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer secret');
    expect(JSON.parse(String(init.body))).toEqual({ action: 'start', delay: 5 });
  });

  it('reports refusals with the host’s reason, and network failures', async () => {
    const noToken = await sendControl({ action: 'pause' }, undefined, (_url, init) => {
      expect((init.headers as Record<string, string>).authorization).toBeUndefined();
      return reply(401, {
        error: 'organizer controls need the host token (printed by gw2race-host)',
      });
    });
    expect(noToken).toEqual({
      ok: false,
      status: 401,
      error: 'refused: organizer controls need the host token (printed by gw2race-host)',
    });
    const busy = await sendControl({ action: 'resume' }, 't', () =>
      reply(409, { error: 'the race is not paused' }),
    );
    expect(busy).toMatchObject({
      ok: false,
      status: 409,
      error: 'not possible now: the race is not paused',
    });
    const down = await sendControl({ action: 'end' }, 't', () =>
      Promise.reject(new Error('connection refused')),
    );
    expect(down).toMatchObject({ ok: false, status: 0 });
    expect(describeCommand({ action: 'ruling', playerId: 'p1', ruling: 'dsq' })).toBe('DSQ for p1');
  });
});

describe('the host', () => {
  it('parses /api/info and refuses what is not', () => {
    expect(
      parseHostInfo({
        mode: 'live',
        raceId: 'r',
        name: 'N',
        track: null,
        mqttPath: '/mqtt',
        recording: false,
        version: '1',
      }),
    ).toMatchObject({ mode: 'live', mqttPath: '/mqtt' });
    expect(parseHostInfo({ mode: 'other' })).toBeUndefined();
    expect(parseHostInfo('nope')).toBeUndefined();
  });

  it('fetches /api/info, and has none without a host', async () => {
    const info = await fetchHostInfo((url) => {
      expect(url).toBe('/api/info');
      return reply(200, { mode: 'replay', raceId: 'r', recording: true });
    });
    expect(info).toMatchObject({ mode: 'replay', raceId: 'r', recording: true });
    expect(await fetchHostInfo(() => reply(200, { mode: 'other' }))).toBeUndefined();
    expect(await fetchHostInfo(() => reply(404, { error: 'no' }))).toBeUndefined();
    expect(await fetchHostInfo(() => Promise.reject(new Error('offline')))).toBeUndefined();
  });

  it('takes a round trip to /api/time as a clock-sync sample', async () => {
    const clock = createSimulatedClock({ trueMs: 1_000_000, wallMs: 1_000_000, monotonicMs: 0 });
    const estimator = createOffsetEstimator({ clock });
    // The host's clock is 3 s ahead; the answer takes 10 ms each way.
    const verdict = await sampleHostClock(estimator, (url) => {
      expect(url).toBe('/api/time');
      clock.advance(10);
      const serverClock = (clock.trueMs() + 3000) / 1000;
      clock.advance(10);
      return reply(200, { serverClock });
    });
    expect(verdict).toMatchObject({ accepted: true, delayMs: 20 });
    expect(estimator.estimate()?.offsetMs).toBeCloseTo(3000, 6);
    expect(estimator.estimate()?.boundMs).toBeLessThanOrEqual(11);
    expect(await sampleHostClock(estimator, () => reply(404, { error: 'no clock' }))).toBe(
      undefined,
    );
    expect(await sampleHostClock(estimator, () => reply(200, { serverClock: 'x' }))).toBe(
      undefined,
    );
  });

  it('finds the hub a browser can reach: the embedded one, or an external ws/wss URL', () => {
    const page = { protocol: 'https:', host: 'race.example:8443' };
    const embedded = parseHostInfo({ mode: 'live', mqttPath: '/mqtt' });
    expect(embedded && hubUrlOf(embedded, page)).toBe('wss://race.example:8443/mqtt');
    expect(embedded && hubUrlOf(embedded, { protocol: 'http:', host: 'h:80' })).toBe(
      'ws://h:80/mqtt',
    );
    const external = parseHostInfo({ mode: 'live', mqttUrl: 'wss://hub.example:8884/mqtt' });
    expect(external?.mqttUrl).toBe('wss://hub.example:8884/mqtt');
    expect(external && hubUrlOf(external, page)).toBe('wss://hub.example:8884/mqtt');
    // A hub browsers cannot speak to (plain MQTT) or a junk value is no URL at all.
    const tcp = parseHostInfo({ mode: 'live', mqttUrl: 'mqtt://hub.example:1883' });
    expect(tcp?.mqttUrl).toBeUndefined();
    expect(tcp && hubUrlOf(tcp, page)).toBeUndefined();
    expect(parseHostInfo({ mode: 'live', mqttUrl: 'not a url' })?.mqttUrl).toBeUndefined();
  });

  it('routes paths', () => {
    const live = parseHostInfo({ mode: 'live', raceId: 'r' });
    const replay = parseHostInfo({ mode: 'replay', raceId: 'r' });
    expect(routeOf('/', live)).toBe('live');
    expect(routeOf('/', replay)).toBe('replay');
    expect(routeOf('/replay/', live)).toBe('replay');
    expect(routeOf('/overlay', live)).toBe('overlay');
    expect(routeOf('/overlay/standings', live)).toBe('overlay-standings');
    expect(routeOf('/overlay/grid/', replay)).toBe('overlay-grid');
    expect(routeOf('/standings', undefined)).toBe('standings');
    expect(routeOf('/', undefined)).toBe('replay');
  });

  it('takes the token out of the address', () => {
    expect(takeToken('http://h:1/?token=abc&tiles=off')).toEqual({
      token: 'abc',
      cleaned: 'http://h:1/?tiles=off',
    });
    expect(takeToken('http://h:1/replay')).toEqual({
      token: undefined,
      cleaned: 'http://h:1/replay',
    });
  });
});
