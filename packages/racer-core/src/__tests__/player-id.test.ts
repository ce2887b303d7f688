import { parseId } from '@gw2race/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idFromName } from '../player-id';

describe('idFromName', () => {
  it('makes readable ids from names', () => {
    expect(idFromName('Guillermo')).toBe('guillermo');
    expect(idFromName('Sneaky Pete')).toBe('sneaky-pete');
    expect(idFromName('Zoë Ångström')).toBe('zoe-angstrom');
    expect(idFromName('  [DnT] Racer.One  ')).toBe('dnt-racer.one');
  });

  it('is stable, so a restarted client rejoins as the same player', () => {
    expect(idFromName('Phoenix Down')).toBe(idFromName('Phoenix Down'));
  });

  it('always gives an id the protocol accepts', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (name) => {
        expect(parseId('player id', idFromName(name)).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
