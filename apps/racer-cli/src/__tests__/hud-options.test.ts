import { describe, expect, it } from 'vitest';
import { expandHudFlag, hudOption } from '../hud-options';

describe('--hud [PORT]', () => {
  it('takes a bare --hud as the default port, and a port when one follows', () => {
    expect(expandHudFlag(['--hud', '--race', 'x'])).toEqual(['--hud=4790', '--race', 'x']);
    expect(expandHudFlag(['--race', 'x', '--hud'])).toEqual(['--race', 'x', '--hud=4790']);
    expect(expandHudFlag(['--hud', '5000', '--plain'])).toEqual(['--hud', '5000', '--plain']);
    expect(expandHudFlag(['--hud=0'])).toEqual(['--hud=0']);
    expect(expandHudFlag(['--name', '--hud'])).toEqual(['--name', '--hud=4790']);
  });

  it('listens on 127.0.0.1 unless told; refuses a bad port or --hud-listen alone', () => {
    expect(hudOption({})).toBeUndefined();
    expect(hudOption({ hud: '4790' })).toEqual({ host: '127.0.0.1', port: 4790 });
    expect(hudOption({ hud: '0', 'hud-listen': '0.0.0.0' })).toEqual({ host: '0.0.0.0', port: 0 });
    expect(() => hudOption({ hud: 'abc' })).toThrow(
      '--hud must be a whole number ≥ 0 and ≤ 65535, got "abc"',
    );
    expect(() => hudOption({ hud: '70000' })).toThrow(/--hud must be a whole number/);
    expect(() => hudOption({ 'hud-listen': '0.0.0.0' })).toThrow('--hud-listen needs --hud');
    expect(() => hudOption({ hud: '1', 'hud-listen': ' ' })).toThrow(
      '--hud-listen: give an address',
    );
  });
});
