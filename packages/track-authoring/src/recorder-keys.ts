import type { RecorderAction } from './recorder-state';

/** What a key press asks of the recording session. */
export type KeyAction =
  | RecorderAction
  | { readonly type: 'save' }
  | { readonly type: 'quit' }
  | { readonly type: 'help' }
  | { readonly type: 'unknown'; readonly key: string };

/**
 * The recorder's keys, as the screen and `--help` list them: a tool driving the recorder from
 * its own input (an overlay's hotkeys) can offer the same ones.
 */
export const KEY_HELP = [
  ['space, c', 'drop the start, then the next checkpoint'],
  ['f', 'drop the finish here (with --circuit: close the loop)'],
  ['l', 'close the loop: the start is the finish of every lap (circuits)'],
  ['r', 'drop a reset point here'],
  ['u, backspace', 'undo the last drop'],
  ['+ / -', 'radius of the next checkpoints ±1 m'],
  ['1 … 9, 0', 'radius 5 … 45 m; 0: back to --radius'],
  ['w', 'save (the JSON, and the CSV with --csv)'],
  ['q, ctrl-c', 'quit (twice when there are unsaved changes)'],
  ['?, h', 'these keys'],
] as const;

/**
 * The action of one key, by the name readline gives it (`space`, `backspace`, `c`) or the
 * character typed (`+`). Names of scripted keys (`space`, `plus`, `minus`) work too.
 */
export function actionForKey(key: string): KeyAction {
  const k = key.length === 1 ? key.toLowerCase() : key;
  switch (k) {
    case 'space':
    case ' ':
    case 'c':
      return { type: 'checkpoint' };
    case 'f':
      return { type: 'finish' };
    case 'l':
      return { type: 'loop' };
    case 'r':
      return { type: 'reset' };
    case 'u':
    case 'backspace':
      return { type: 'undo' };
    case '+':
    case '=':
    case 'plus':
      return { type: 'radius', delta: 1 };
    case '-':
    case '_':
    case 'minus':
      return { type: 'radius', delta: -1 };
    case 'w':
      return { type: 'save' };
    case 'q':
      return { type: 'quit' };
    case '?':
    case 'h':
      return { type: 'help' };
    default:
      if (/^[0-9]$/.test(k)) {
        const digit = Number(k);
        return { type: 'radius-set', value: digit === 0 ? 'default' : digit * 5 };
      }
      return { type: 'unknown', key };
  }
}

const NAMED = new Set(['space', 'backspace', 'plus', 'minus']);

/**
 * The keys of one line of a script (a non-terminal stdin): a whole line that names a key
 * (`space`, `backspace`, `plus`, `minus`) is that key; otherwise every character that is not
 * blank is one key, so `c c f w q` and `ccfwq` are the same script.
 */
export function scriptedKeys(line: string): string[] {
  const text = line.trim();
  if (text === '') return [];
  if (NAMED.has(text.toLowerCase())) return [text.toLowerCase()];
  return [...text].filter((character) => character.trim() !== '');
}
