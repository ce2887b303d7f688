import { emitKeypressEvents } from 'node:readline';
import type { ReadStream } from 'node:tty';
import type { RecorderAction } from '@gw2race/track-authoring';

/** What a key press asks of the recording session. */
export type KeyAction =
  | RecorderAction
  | { readonly type: 'save' }
  | { readonly type: 'quit' }
  | { readonly type: 'help' }
  | { readonly type: 'unknown'; readonly key: string };

/** The keys, as the screen and `--help` list them. */
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

/** Input the recorder listens to; `end` fires when a script runs out. */
export interface KeyInput {
  /** Stops listening, and gives a terminal back its normal mode. */
  close(): void;
}

/**
 * Listens to keys on `input`: single key presses in a terminal (raw mode), or a script, one key
 * per character or line, from anything else (a pipe, a file). `onEnd` is called when a script
 * ends; a terminal never ends.
 */
export function listenToKeys(
  input: NodeJS.ReadableStream,
  onKey: (key: string, ctrl: boolean) => void,
  onEnd: () => void,
): KeyInput {
  const tty = input as ReadStream;
  if (tty.isTTY && typeof tty.setRawMode === 'function') {
    emitKeypressEvents(tty);
    tty.setRawMode(true);
    const onKeypress = (
      text: string | undefined,
      key: { name?: string; ctrl?: boolean } | undefined,
    ) => {
      const name = key?.name ?? text;
      if (name) onKey(name, key?.ctrl === true);
    };
    tty.on('keypress', onKeypress);
    tty.resume();
    return {
      close() {
        tty.off('keypress', onKeypress);
        tty.setRawMode(false);
        tty.pause();
      },
    };
  }
  let buffer = '';
  const onData = (chunk: Buffer | string) => {
    buffer += chunk.toString();
    const lines = buffer.split(/\r?\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) for (const key of scriptedKeys(line)) onKey(key, false);
  };
  const finish = () => {
    for (const key of scriptedKeys(buffer)) onKey(key, false);
    buffer = '';
    onEnd();
  };
  input.on('data', onData);
  input.once('end', finish);
  input.resume();
  return {
    close() {
      input.off('data', onData);
      input.off('end', finish);
      input.pause();
    },
  };
}
