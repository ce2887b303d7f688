import { isAppError } from '@gw2race/app-shared';
import { describe, expect, it } from 'vitest';
import { viewerBrokerUrl } from '../commands/run';

describe('the live view of a race on an external hub', () => {
  it('uses --broker itself when browsers can reach it (ws://, wss://), without the organizer credentials', () => {
    expect(viewerBrokerUrl('wss://host:s3cret@hub.example/mqtt', undefined)).toBe(
      'wss://hub.example/mqtt',
    );
    expect(viewerBrokerUrl('ws://127.0.0.1:9001', undefined)).toBe('ws://127.0.0.1:9001/');
  });

  it('has none for an mqtt:// or mqtts:// hub unless --viewer-broker says where its WebSocket is', () => {
    expect(viewerBrokerUrl('mqtt://hub.example:1883', undefined)).toBeUndefined();
    expect(
      viewerBrokerUrl('mqtts://hub.example:8883', 'wss://viewer:pw@hub.example:8084/mqtt'),
    ).toBe('wss://viewer:pw@hub.example:8084/mqtt');
  });

  it('refuses a --viewer-broker browsers cannot use', () => {
    for (const bad of ['mqtt://hub.example:1883', 'nonsense']) {
      let error: unknown;
      try {
        viewerBrokerUrl('mqtt://hub.example:1883', bad);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error) && error.code).toBe('USAGE');
    }
  });
});
