import { describe, expect, it } from 'vitest';
import { actionForKey, KEY_HELP, scriptedKeys } from '../recorder-keys';

describe("the recorder's keys", () => {
  it('map key names and characters to recorder actions', () => {
    expect(actionForKey('space')).toEqual({ type: 'checkpoint' });
    expect(actionForKey('F')).toEqual({ type: 'finish' });
    expect(actionForKey('plus')).toEqual({ type: 'radius', delta: 1 });
    expect(actionForKey('3')).toEqual({ type: 'radius-set', value: 15 });
    expect(actionForKey('0')).toEqual({ type: 'radius-set', value: 'default' });
    expect(actionForKey('z')).toEqual({ type: 'unknown', key: 'z' });
  });

  it('read a script line as named keys or one key per character', () => {
    expect(scriptedKeys('  space ')).toEqual(['space']);
    expect(scriptedKeys('c c f w q')).toEqual(['c', 'c', 'f', 'w', 'q']);
    expect(scriptedKeys('')).toEqual([]);
  });

  it('list every key they know', () => {
    expect(KEY_HELP.map(([keys]) => keys)).toContain('w');
  });
});
