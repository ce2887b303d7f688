import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostInfoSchema, parseHostTime, parseStandings, type Standings } from '@gw2race/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isOwnHost } from '../web/web-security';
import { attachWebApp, parseWebCommand, type WebCommand } from '../web/web-server';

let server: Server;
let base: string;
const commands: WebCommand[] = [];
const logged: string[] = [];
let failingRecording = false;
const dir = mkdtempSync(join(tmpdir(), 'gw2race-web-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>viewer</title>');
writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(tmpdir(), 'secret.txt'), 'do not serve');
const recording = join(dir, 'race.replay.jsonl.gz');
writeFileSync(recording, Buffer.from([0x1f, 0x8b, 1, 2, 3]));

const heatResults = join(dir, 'race_heat-1.results.json');
writeFileSync(heatResults, '{"raceId":"heat-1"}\n');
writeFileSync(join(dir, 'race_heat-1.results.csv'), 'position,name\n1,ann\n');

const STANDINGS: Standings = {
  format: 'gw2race-standings',
  version: 1,
  tournament: 'cup',
  complete: false,
  races: [],
  standings: [],
  warnings: [],
};

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
    recordingPath: () => (failingRecording ? join(dir, 'gone', 'secret-path.gz') : recording),
    hostToken: 'sesame',
    onCommand: (command) => {
      commands.push(command);
      return command.action === 'resume'
        ? { ok: false, error: 'the race is not paused' }
        : { ok: true };
    },
    organizerNowMs: () => 1_800_000_000_250,
    standings: () => STANDINGS,
    raceFiles: (raceId) =>
      raceId === 'heat-1'
        ? {
            recording,
            resultsJson: heatResults,
            resultsCsv: join(dir, 'race_heat-1.results.csv'),
          }
        : raceId === 'final'
          ? { recording: undefined }
          : undefined,
    log: (line) => logged.push(line),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A GET with a Host header of our choosing (fetch sets its own). */
const getWithHost = (path: string, host: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const { port } = server.address() as { port: number };
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

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

  it('serves the tournament standings at /api/standings, and 404 for a race on its own', async () => {
    const answer = await fetch(`${base}/api/standings`);
    expect(answer.status).toBe(200);
    const parsed = parseStandings(await answer.json());
    expect(parsed.ok && parsed.value).toEqual(STANDINGS);
    const alone = createServer();
    attachWebApp(alone, {
      staticDir: dir,
      info: () => ({ mode: 'live', recording: false, version: '0', track: null }),
      recordingPath: () => undefined,
      hostToken: undefined,
      onCommand: () => ({ ok: true }),
    });
    await new Promise<void>((resolve) => alone.listen(0, '127.0.0.1', resolve));
    try {
      const port = (alone.address() as { port: number }).port;
      const none = await fetch(`http://127.0.0.1:${port}/api/standings`);
      expect([none.status, await none.json()]).toEqual([404, { error: 'no tournament here' }]);
    } finally {
      await new Promise<void>((resolve) => alone.close(() => resolve()));
    }
  });

  it("serves a tournament race's recording and results at /api/races/{raceId}/…", async () => {
    const json = await fetch(`${base}/api/races/heat-1/results.json`);
    expect([json.status, json.headers.get('content-type'), await json.json()]).toEqual([
      200,
      'application/json; charset=utf-8',
      { raceId: 'heat-1' },
    ]);
    const csv = await fetch(`${base}/api/races/heat-1/results.csv`);
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="race_heat-1.results.csv"',
    );
    expect(await csv.text()).toBe('position,name\n1,ann\n');
    const gz = await fetch(`${base}/api/races/heat-1/recording`);
    expect(new Uint8Array(await gz.arrayBuffer())).toEqual(new Uint8Array([0x1f, 0x8b, 1, 2, 3]));
  });

  it('answers 404 for a race it does not have or a file not written yet, 400 for a bad race id or file', async () => {
    const answer = async (path: string) => {
      const response = await getWithHost(path, `127.0.0.1:${new URL(base).port}`);
      return [response.status, JSON.parse(response.body).error];
    };
    expect(await answer('/api/races/heat-9/results.json')).toEqual([
      404,
      'no race heat-9 on this host',
    ]);
    expect(await answer('/api/races/final/recording')).toEqual([
      404,
      'race final has no recording yet',
    ]);
    for (const path of [
      '/api/races/..%2F..%2Fsecret.txt/recording',
      '/api/races/a%2F..%2F..%2Fsecret.txt/recording',
      '/api/races/%2E%2E%2Fsecret.txt/recording',
      '/api/races/heat-1/..%2F..%2F..%2Fsecret.txt',
      '/api/races/heat-1/secret.txt',
    ]) {
      const [status, error] = await answer(path);
      expect(status, path).toBe(400);
      expect(error, path).toMatch(/race id|a race's files are/);
      expect(error).not.toContain('do not serve');
    }
    const alone = createServer();
    attachWebApp(alone, {
      staticDir: dir,
      info: () => ({ mode: 'live', recording: false, version: '0', track: null }),
      recordingPath: () => undefined,
      hostToken: undefined,
      onCommand: () => ({ ok: true }),
    });
    await new Promise<void>((resolve) => alone.listen(0, '127.0.0.1', resolve));
    try {
      const port = (alone.address() as { port: number }).port;
      const none = await fetch(`http://127.0.0.1:${port}/api/races/heat-1/results.json`);
      expect([none.status, await none.json()]).toEqual([
        404,
        { error: 'no race heat-1 on this host' },
      ]);
    } finally {
      await new Promise<void>((resolve) => alone.close(() => resolve()));
    }
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

  it('sends the security headers on every answer, a CSP fitting what the viewer loads', async () => {
    for (const path of ['/', '/assets/app.js', '/api/info', '/api/nothing', '/%', '/mqtt']) {
      const response = await fetch(`${base}${path}`);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'; style-src-attr 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain('worker-src blob:;');
      expect(csp).toContain("img-src 'self' data: https://tiles.guildwars2.com");
      expect(csp).toContain(`connect-src 'self' https://api.guildwars2.com ws://${base.slice(7)}`);
    }
  });

  it('answers /api/* only to a Host that names this server (DNS rebinding)', async () => {
    const { port } = server.address() as { port: number };
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1:${port + 1}`,
      `localhost.evil.example:${port}`,
    ]) {
      for (const path of ['/api/info', '/api/recording', '/api/time']) {
        const forged = await getWithHost(path, host);
        expect(forged.status).toBe(421);
        expect(forged.body).toBe(
          'the Host header does not name this server: open the viewer at the address gw2race-host printed\n',
        );
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const own = await getWithHost('/api/info', host);
      expect(own.status).toBe(200);
      expect(JSON.parse(own.body)).toMatchObject({ raceId: 'r1' });
    }
  });

  it('answers a failure with "internal error" and keeps its details in the host log', async () => {
    failingRecording = true;
    try {
      const response = await fetch(`${base}/api/recording`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: 'internal error' });
    } finally {
      failingRecording = false;
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/GET \/api\/recording: .*ENOENT.*secret-path\.gz/);
  });

  it('answers a plain request to /mqtt (no upgrade) with 426 instead of holding it open', async () => {
    const response = await fetch(`${base}/mqtt`);
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    expect(await response.text()).toMatch(/^\/mqtt is MQTT over WebSocket/);
  });
});

describe('the viewer server security helpers', () => {
  const at = { address: '0.0.0.0', port: 8080, family: 'IPv4' };
  it('takes a Host for this server by name, address and port', () => {
    const ownAddress = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && !entry.internal)?.address;
    const hosts = ['localhost:8080', 'LOCALHOST:8080', '[::1]:8080', '0.0.0.0:8080'];
    if (ownAddress)
      hosts.push(ownAddress.includes(':') ? `[${ownAddress}]:8080` : `${ownAddress}:8080`);
    for (const host of hosts) expect(isOwnHost(host, at)).toBe(true);
    for (const host of [
      'localhost:8081',
      'localhost',
      'evil.example:8080',
      'a@localhost:8080',
      'localhost:8080/x',
    ])
      expect(isOwnHost(host, at)).toBe(false);
    expect(isOwnHost(undefined, at)).toBe(false);
  });

  it('lets the viewer reach an external hub it is told about, and nothing else', () => {
    const csp = contentSecurityPolicy(undefined, 'wss://hub.example:8884/mqtt');
    expect(csp).toContain("connect-src 'self' https://api.guildwars2.com wss://hub.example:8884;");
    expect(contentSecurityPolicy(undefined)).toContain(
      "connect-src 'self' https://api.guildwars2.com;",
    );
  });
});
