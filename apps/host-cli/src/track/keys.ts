import { emitKeypressEvents } from 'node:readline';
import type { ReadStream } from 'node:tty';
import { scriptedKeys } from '@gw2race/track-authoring';

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
