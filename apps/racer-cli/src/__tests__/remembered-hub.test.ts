import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubFromAnswer, rememberedHub, rememberHub, settingsFile } from '../remembered-hub';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw2race-hubmem-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the guided racer asks for the organizer and remembers the answer', () => {
  it('turns what a racer types into a hub URL, port 1883 by default', () => {
    expect(hubFromAnswer('192.168.1.20')).toBe('mqtt://192.168.1.20:1883');
    expect(hubFromAnswer(' 192.168.1.20:1884 ')).toBe('mqtt://192.168.1.20:1884');
    expect(hubFromAnswer('race.example.org')).toBe('mqtt://race.example.org:1883');
    expect(hubFromAnswer('fe80::1')).toBe('mqtt://[fe80::1]:1883');
    expect(hubFromAnswer('[fe80::1]:1885')).toBe('mqtt://[fe80::1]:1885');
    expect(hubFromAnswer('mqtts://hub.example.org:8883')).toBe('mqtts://hub.example.org:8883');
    expect(() => hubFromAnswer('two words')).toThrow(/is not a hub address/);
    expect(() => hubFromAnswer('http://x:1')).toThrow();
  });

  it('remembers the last hub in an owner-only file and ignores a damaged one', async () => {
    const file = join(dir, 'sub', 'racer.json');
    expect(rememberedHub(file)).toBeUndefined();
    expect(rememberHub(file, 'mqtt://10.0.0.5:1883')).toBe(true);
    expect(rememberedHub(file)).toBe('mqtt://10.0.0.5:1883');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ broker: 'mqtt://10.0.0.5:1883' });
    await writeFile(file, '{"broker": "not a url"');
    expect(rememberedHub(file)).toBeUndefined();
  });

  it('keeps its file where each system keeps settings', () => {
    expect(settingsFile({ GW2RACE_CONFIG_DIR: '/x' }, 'linux', '/home/a')).toBe('/x/racer.json');
    expect(settingsFile({}, 'linux', '/home/a')).toBe('/home/a/.config/gw2race/racer.json');
    expect(settingsFile({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/a')).toBe(
      '/cfg/gw2race/racer.json',
    );
    expect(
      settingsFile({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a'),
    ).toContain('gw2race');
  });
});
