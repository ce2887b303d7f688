import { describe, expect, it } from 'vitest';
import { CLOCK_SYNC_ERROR_CODES, ClockSyncError, isClockSyncError } from '../errors';

describe('ClockSyncError', () => {
  it('carries a code, the server, the kiss code and the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new ClockSyncError('KISS_OF_DEATH', 'refused', {
      server: 'ntp:123',
      kissCode: 'RATE',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ClockSyncError');
    expect(error.code).toBe(CLOCK_SYNC_ERROR_CODES.KISS_OF_DEATH);
    expect(error.server).toBe('ntp:123');
    expect(error.kissCode).toBe('RATE');
    expect(error.cause).toBe(cause);
  });

  it('is recognised across bundled copies but not confused with other errors', () => {
    const foreign = Object.assign(new Error('x'), { name: 'ClockSyncError', code: 'TIMEOUT' });
    expect(isClockSyncError(new ClockSyncError('TIMEOUT', 'x'))).toBe(true);
    expect(isClockSyncError(foreign)).toBe(true);
    expect(
      isClockSyncError(Object.assign(new Error('x'), { name: 'ClockSyncError', code: 'NOPE' })),
    ).toBe(false);
    expect(isClockSyncError(new Error('x'))).toBe(false);
    expect(isClockSyncError({ name: 'ClockSyncError', code: 'TIMEOUT' })).toBe(false);
  });
});
