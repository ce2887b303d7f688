import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostInfoSchema, parseHostTime } from '@gw2race/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachWebApp, parseWebCommand, type WebCommand } from '../web/web-server';

let server: Server;
let base: string;
const commands: WebCommand[] = [];
const dir = mkdtempSync(join(tmpdir(), 'gw2race-web-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>viewer</title>');
writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(tmpdir(), 'secret.txt'), 'do not serve');
const recording = join(dir, 'race.replay.jsonl.gz');
writeFileSync(recording, Buffer.from([0x1f, 0x8b, 1, 2, 3]));

beforeAll(async () => {
  server = createServer();
  attachWebApp(server, {
    staticDir: dir,
    info: () => ({
      mode: 'live',
      raceId: 'r1',
      name: 'cup',
      track: null,
      mqttPath: '/mqtt',
      recording: true,
      version: '0.0.0',
    }),
    recordingPath: () => recording,
    hostToken: 'sesame',
    onCommand: (command) => {
      commands.push(command);
      return command.action === 'resume'
        ? { ok: false, error: 'the race is not paused' }
        : { ok: true };
    },
    organizerNowMs: () => 1_800_000_000_250,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (body: unknown, token?: string) =>
  fetch(`${base}/api/control`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the viewer server', () => {
  it('serves the app, its assets, and the app again for client routes', async () => {
    expect(await (await fetch(`${base}/`)).text()).toContain('<title>viewer</title>');
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await (await fetch(`${base}/overlay`)).text()).toContain('<title>viewer</title>');
  });

  it('never serves files outside the app folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      expect(await (await fetch(`${base}${path}`)).text()).not.toContain('do not serve');
    }
  });

  it('answers a path with a broken percent-encoding with 400, not 500', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/api/%zz']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(
        /^bad percent-encoding in the path/,
      );
    }
  });

  it('tells the app about the race and serves the recording', async () => {
    expect(await (await fetch(`${base}/api/info`)).json()).toMatchObject({
      mode: 'live',
      raceId: 'r1',
      mqttPath: '/mqtt',
    });
    // What it serves is what the viewer parses (protocol's schema, the one source of truth).
    expect(hostInfoSchema.safeParse(await (await fetch(`${base}/api/info`)).json()).success).toBe(
      true,
    );
    const bytes = new Uint8Array(await (await fetch(`${base}/api/recording`)).arrayBuffer());
    expect([...bytes]).toEqual([0x1f, 0x8b, 1, 2, 3]);
  });

  it('reads the organizer clock for the viewer at /api/time', async () => {
    expect(parseHostTime(await (await fetch(`${base}/api/time`)).json())).toEqual({
      ok: true,
      value: { serverClock: 1_800_000_000.25 },
    });
  });

  it('refuses organizer commands without the host token', async () => {
    for (const token of [undefined, 'wrong', 'sesame-but-longer']) {
      const response = await post({ action: 'start' }, token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: 'organizer controls need the host token (printed by gw2race-host)',
      });
    }
    expect(commands).toEqual([]);
  });

  it('carries out valid commands with the token and explains refusals', async () => {
    expect((await post({ action: 'start', delay: 10 }, 'sesame')).status).toBe(200);
    const refused = await post({ action: 'resume' }, 'sesame');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: 'the race is not paused' });
    const bad = await post({ action: 'launch' }, 'sesame');
    expect(bad.status).toBe(400);
    expect((await post('{not json', 'sesame')).status).toBe(400);
    expect(commands).toEqual([{ action: 'start', delay: 10 }, { action: 'resume' }]);
  });

  it('validates command bodies', () => {
    expect(parseWebCommand({ action: 'message', text: 'hi', to: 'p1' })).toEqual({
      action: 'message',
      text: 'hi',
      to: 'p1',
    });
    expect(parseWebCommand({ action: 'message', text: '' })).toBe(
      'text must be 1 to 500 characters',
    );
    expect(parseWebCommand({ action: 'start', delay: -1 })).toBe(
      'delay must be a number of seconds between 0 and 86400',
    );
    expect(parseWebCommand({ action: 'ruling', playerId: 'p1', ruling: 'ban' })).toBe(
      'ruling must be dsq, dnf or reinstate',
    );
    expect(
      parseWebCommand({ action: 'ruling', playerId: 'p1', ruling: 'dsq', reason: 'cut' }),
    ).toEqual({
      action: 'ruling',
      playerId: 'p1',
      ruling: 'dsq',
      reason: 'cut',
    });
    expect(parseWebCommand(null)).toBe('the body must be a JSON object');
  });
});
