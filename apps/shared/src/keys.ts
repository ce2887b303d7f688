import { emitKeypressEvents } from 'node:readline';
import { createInterface } from 'node:readline/promises';
import { AppError } from './errors';

/** A key as `readline` reports it. */
export interface KeyPress {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  sequence?: string;
}

/** The terminal input {@link listenKeys} and {@link ask} read (process.stdin by default). */
export type KeyInputStream = NodeJS.ReadableStream & {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
};

/** Keys being delivered one at a time from a terminal; see {@link listenKeys}. */
export interface KeyListener {
  /** True while {@link readLine} waits for a line (keys are not delivered, the screen should hold). */
  readonly prompting: boolean;
  /**
   * Asks for a line of text (cooked mode, echo), then goes back to single keys. Ctrl-C, the end
   * of the input or {@link stop} gives an empty line.
   */
  readLine(question: string): Promise<string>;
  /** Stops delivering keys and gives the terminal back (not raw, not read). */
  stop(): void;
}

/**
 * Asks one question with readline on `input` and closes the interface again. Ctrl-C is an
 * {@link AppError} `INTERRUPTED` (exit 130), not an unexpected error.
 */
export async function questionOnce(
  question: string,
  input: KeyInputStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
  signal?: AbortSignal,
): Promise<string> {
  const rl = createInterface({ input, output, terminal: Boolean(input.isTTY) });
  try {
    return await rl.question(question, signal ? { signal } : {});
  } catch (error) {
    if ((error as { code?: string }).code === 'ABORT_ERR')
      throw new AppError('INTERRUPTED', 'stopped (ctrl-c)');
    throw error;
  } finally {
    // close() pauses the input: whoever reads it next must resume it (listenKeys does).
    rl.close();
  }
}

/**
 * Delivers single key presses from a terminal: raw mode on, the input flowing, `onKey` for each
 * key (Ctrl-C included: raw mode turns it into a key, not a signal). `readLine` asks for a line
 * in between. Readline pauses its input when a question closes, and a paused stdin delivers
 * nothing more (keys, Ctrl-C): every switch back to keys resumes it.
 */
export function listenKeys(
  onKey: (text: string | undefined, key: KeyPress | undefined) => void,
  options: { input?: KeyInputStream; output?: NodeJS.WritableStream } = {},
): KeyListener {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  let prompting = false;
  let stopped = false;
  let question: AbortController | undefined;
  const deliver = (text: string | undefined, key: KeyPress | undefined) => {
    if (!prompting && !stopped) onKey(text, key);
  };
  const keysOn = () => {
    input.setRawMode?.(true);
    input.resume();
  };
  emitKeypressEvents(input);
  input.on('keypress', deliver);
  keysOn();
  return {
    get prompting() {
      return prompting;
    },
    async readLine(text) {
      if (stopped) return '';
      prompting = true;
      input.setRawMode?.(false);
      const controller = new AbortController();
      question = controller;
      try {
        return (await questionOnce(text, input, output, controller.signal)).trim();
      } catch (error) {
        if (error instanceof AppError && error.code === 'INTERRUPTED') return '';
        throw error;
      } finally {
        question = undefined;
        prompting = false;
        if (!stopped) keysOn();
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      question?.abort();
      input.off('keypress', deliver);
      input.setRawMode?.(false);
      input.pause();
    },
  };
}
