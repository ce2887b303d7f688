import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HUD_CSP, type HudServer, startHudServer } from '../hud-server';
import type { HudView } from '../hud-view';

const servers: HudServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function started(): Promise<HudServer> {
  const server = await startHudServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  return server;
}

/** One GET with a chosen Host header; resolves with status, headers and body. */
function get(url: string, host?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const target = new URL(url);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          headers: host ? { host } : {},
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

const line = (text: string) => ({ text });
const view = (phase: string): HudView =>
  ({ phase: line(phase), clock: line('3') }) as unknown as HudView;

describe('the HUD server', () => {
  it('serves the page, its script and style under a strict Content-Security-Policy', async () => {
    const server = await started();
    const page = await get(server.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(HUD_CSP);
    expect(page.body).toContain('data-hud="vsLeader"');
    expect(page.body).not.toMatch(/<script>|style=/);
    const script = await get(`${server.url}hud.js`);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('new EventSource("/events")');
    expect(script.body).not.toContain('innerHTML');
    expect((await get(`${server.url}hud.css`)).body).toContain('background: transparent');
    expect((await get(`${server.url}nothing`)).status).toBe(404);
  });

  it('streams the latest view at once, then each change (not a repeat)', async () => {
    const server = await started();
    server.publish(view('STARTS IN'));
    const target = new URL(`${server.url}events`);
    const chunks: string[] = [];
    const req = request({ host: target.hostname, port: target.port, path: target.pathname });
    const events = new Promise<string[]>((resolve) => {
      req.on('response', (res) => {
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk.toString());
          const datas = chunks.join('').match(/^data: .*$/gm) ?? [];
          if (datas.length === 1) {
            server.publish(view('STARTS IN'));
            server.publish(view('RACING'));
          }
          if (datas.length === 2) resolve(datas);
        });
      });
    });
    req.end();
    const datas = await events;
    req.destroy();
    expect(datas.map((d) => JSON.parse(d.slice(6)).phase.text)).toEqual(['STARTS IN', 'RACING']);
    expect(JSON.parse((await get(`${server.url}view.json`)).body).phase.text).toBe('RACING');
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    const server = await started();
    const port = new URL(server.url).port;
    expect((await get(server.url, `evil.example:${port}`)).status).toBe(421);
    expect((await get(server.url, `localhost:${port}`)).status).toBe(200);
  });

  it('says in one line that the port is taken', async () => {
    const server = await started();
    const port = Number(new URL(server.url).port);
    await expect(startHudServer({ host: '127.0.0.1', port })).rejects.toThrow(
      `--hud: port ${port} on 127.0.0.1 is taken`,
    );
  });

  it('says when --hud-listen is not an address of this machine', async () => {
    await expect(startHudServer({ host: '203.0.113.7', port: 0 })).rejects.toThrow(
      /^--hud-listen: cannot listen on 203\.0\.113\.7: no network interface/,
    );
  });
});
