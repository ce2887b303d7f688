import { describe, expect, it } from 'vitest';
import { PACKAGE_NAME } from '../index';

describe('package', () => {
  it('is named', () => {
    expect(PACKAGE_NAME).toBe('@gw2race/race-analysis');
  });
});
