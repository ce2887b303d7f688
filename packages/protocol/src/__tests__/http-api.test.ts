import { describe, expect, it } from 'vitest';
import {
  HTTP_API_SCHEMAS,
  httpApiJsonSchema,
  parseApiError,
  parseControlRequest,
  parseHostInfo,
  parseHostTime,
} from '../http-api';

const reason = (value: unknown) => {
  const parsed = parseControlRequest(value);
  return parsed.ok ? parsed.value : parsed.error.message;
};

describe('the host↔viewer HTTP API', () => {
  it('parses /api/info; advisory fields of the wrong shape read as absent', () => {
    const info = parseHostInfo({
      mode: 'live',
      raceId: 'r',
      name: 'N',
      track: null,
      mqttPath: '/mqtt',
      recording: false,
      version: '1',
    });
    expect(info.ok && info.value).toMatchObject({ mode: 'live', mqttPath: '/mqtt', raceId: 'r' });
    const loose = parseHostInfo({ mode: 'replay', raceId: '', mqttUrl: 'mqtt://h:1883', track: 5 });
    expect(loose.ok && loose.value).toEqual({
      mode: 'replay',
      track: null,
      recording: false,
      version: '',
    });
    const external = parseHostInfo({ mode: 'live', mqttUrl: 'wss://hub.example:8884/mqtt' });
    expect(external.ok && external.value.mqttUrl).toBe('wss://hub.example:8884/mqtt');
    expect(parseHostInfo({ mode: 'other' }).ok).toBe(false);
    expect(parseHostInfo('nope').ok).toBe(false);
  });

  it('parses /api/time', () => {
    expect(parseHostTime({ serverClock: 1_800_000_000.5 })).toEqual({
      ok: true,
      value: { serverClock: 1_800_000_000.5 },
    });
    expect(parseHostTime({ serverClock: 'now' }).ok).toBe(false);
  });

  it('parses control commands with the sentences the host answers with', () => {
    expect(reason({ action: 'message', text: 'hi', to: 'p1' })).toEqual({
      action: 'message',
      text: 'hi',
      to: 'p1',
    });
    // A bad optional field is left out, as the host always did.
    expect(reason({ action: 'message', text: 'hi', to: '' })).toEqual({
      action: 'message',
      text: 'hi',
    });
    expect(reason({ action: 'start' })).toEqual({ action: 'start' });
    expect(reason({ action: 'start', delay: 5 })).toEqual({ action: 'start', delay: 5 });
    expect(reason({ action: 'message', text: '' })).toBe('text must be 1 to 500 characters');
    expect(reason({ action: 'start', delay: -1 })).toBe(
      'delay must be a number of seconds between 0 and 86400',
    );
    expect(reason({ action: 'start', delay: 'soon' })).toBe(
      'delay must be a number of seconds between 0 and 86400',
    );
    expect(reason({ action: 'ruling', playerId: 'p1', ruling: 'ban' })).toBe(
      'ruling must be dsq, dnf or reinstate',
    );
    expect(reason({ action: 'ruling', ruling: 'dsq' })).toBe('playerId is required');
    expect(reason({ action: 'ruling', playerId: 'p1', ruling: 'dsq', reason: 'cut' })).toEqual({
      action: 'ruling',
      playerId: 'p1',
      ruling: 'dsq',
      reason: 'cut',
    });
    expect(reason({ action: 'fly' })).toBe(
      'action must be start, message, pause, resume, end, abort or ruling',
    );
    expect(reason(null)).toBe('the body must be a JSON object');
    expect(reason([])).toBe('the body must be a JSON object');
  });

  it('reads the reason of a refusal', () => {
    expect(parseApiError({ error: 'the race is not paused' })).toBe('the race is not paused');
    expect(parseApiError('<html>')).toBeUndefined();
  });

  it('generates a JSON Schema for every body', () => {
    for (const name of Object.keys(HTTP_API_SCHEMAS) as (keyof typeof HTTP_API_SCHEMAS)[]) {
      const schema = httpApiJsonSchema(name, 'https://example/');
      expect(schema.$id).toBe(`https://example/${name}.schema.json`);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
  });
});
