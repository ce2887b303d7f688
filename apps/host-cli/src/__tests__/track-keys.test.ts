import { PassThrough } from 'node:stream';
import { actionForKey, KEY_HELP, scriptedKeys } from '@gw2race/track-authoring';
import { describe, expect, it } from 'vitest';
import { listenToKeys } from '../track/keys';

describe('the recorder keys', () => {
  it('maps every key the help lists', () => {
    expect(actionForKey('space')).toEqual({ type: 'checkpoint' });
    expect(actionForKey('c')).toEqual({ type: 'checkpoint' });
    expect(actionForKey('C')).toEqual({ type: 'checkpoint' });
    expect(actionForKey('f')).toEqual({ type: 'finish' });
    expect(actionForKey('l')).toEqual({ type: 'loop' });
    expect(actionForKey('r')).toEqual({ type: 'reset' });
    expect(actionForKey('u')).toEqual({ type: 'undo' });
    expect(actionForKey('backspace')).toEqual({ type: 'undo' });
    expect(actionForKey('+')).toEqual({ type: 'radius', delta: 1 });
    expect(actionForKey('=')).toEqual({ type: 'radius', delta: 1 });
    expect(actionForKey('-')).toEqual({ type: 'radius', delta: -1 });
    expect(actionForKey('1')).toEqual({ type: 'radius-set', value: 5 });
    expect(actionForKey('9')).toEqual({ type: 'radius-set', value: 45 });
    expect(actionForKey('0')).toEqual({ type: 'radius-set', value: 'default' });
    expect(actionForKey('w')).toEqual({ type: 'save' });
    expect(actionForKey('q')).toEqual({ type: 'quit' });
    expect(actionForKey('?')).toEqual({ type: 'help' });
    expect(actionForKey('x')).toEqual({ type: 'unknown', key: 'x' });
    expect(actionForKey('return')).toEqual({ type: 'unknown', key: 'return' });
    // Every key the help names does something.
    for (const [keys] of KEY_HELP) {
      for (const key of keys.split(/, | \/ | … /)) {
        const name = key === 'ctrl-c' ? undefined : key;
        if (name) expect(actionForKey(name).type, name).not.toBe('unknown');
      }
    }
  });

  it('reads a script as one key per character or named line', () => {
    expect(scriptedKeys('c')).toEqual(['c']);
    expect(scriptedKeys('  ccf w q ')).toEqual(['c', 'c', 'f', 'w', 'q']);
    expect(scriptedKeys('space')).toEqual(['space']);
    expect(scriptedKeys('Backspace')).toEqual(['backspace']);
    expect(scriptedKeys('plus')).toEqual(['plus']);
    expect(actionForKey('plus')).toEqual({ type: 'radius', delta: 1 });
    expect(scriptedKeys('')).toEqual([]);
  });

  it('listens to a script on a stream that is not a terminal, to its end', async () => {
    const input = new PassThrough();
    const keys: string[] = [];
    let ended = false;
    const listener = listenToKeys(
      input,
      (key, ctrl) => keys.push(ctrl ? `ctrl-${key}` : key),
      () => {
        ended = true;
      },
    );
    input.write('c\r\nspace\n+');
    await new Promise((resolve) => setImmediate(resolve));
    // A line is read when it ends.
    expect(keys).toEqual(['c', 'space']);
    input.write('+\nfw');
    input.end('q');
    await new Promise((resolve) => setImmediate(resolve));
    expect(keys).toEqual(['c', 'space', '+', '+', 'f', 'w', 'q']);
    expect(ended).toBe(true);
    listener.close();
  });
});
