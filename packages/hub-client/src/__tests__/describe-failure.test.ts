import { describe, expect, it } from 'vitest';
import { describeFailure } from '../describe-failure';

const notAuthorized = Object.assign(new Error('Connection refused: Not authorized'), { code: 5 });

describe('describeFailure', () => {
  it('a hub that says "not authorized" to credentials refused them (Mosquitto, wrong password)', () => {
    const error = describeFailure(notAuthorized, 'mqtts://hub:8883', undefined, true);
    expect(error.code).toBe('BAD_CREDENTIALS');
    expect(error.message).toBe(
      'the hub at mqtts://hub:8883 refused our credentials (Connection refused: Not authorized)',
    );
  });

  it('to a client that gave none, it wants some (a closed race)', () => {
    const error = describeFailure(notAuthorized, 'mqtt://hub:1883');
    expect(error.code).toBe('NOT_AUTHORIZED');
    expect(error.message).toContain('a closed race needs your player id and its credential');
  });
});
