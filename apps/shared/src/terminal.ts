import type { WriteStream } from 'node:tty';
import { toDisplayText } from '@gw2race/protocol';

/** Where an app writes its screen. */
export interface Screen {
  /** True when the output is an interactive terminal (the screen is redrawn in place). */
  readonly interactive: boolean;
  /**
   * Shows the current screen. In a terminal the whole screen is redrawn (at most `maxHz` times a
   * second); piped output prints it only when its text changed, so logs stay readable. Given a
   * function, the screen is made only when it is drawn: a caller that says "changed" on every
   * message pays for at most `maxHz` screens a second, not one per message.
   */
  render(text: string | (() => string)): void;
  /**
   * Prints a line that stays (above the screen in a terminal). Log lines quote the wire (topics,
   * client ids, names, refusal reasons), so each goes through `toDisplayText` first: no control
   * character, bidi override or line separator reaches the terminal, and none may be meant.
   */
  log(line: string): void;
  /**
   * Stops drawing (a terminal screen only) while something else uses the terminal, such as a
   * question: renders and logs are kept and shown by {@link Screen.release}.
   */
  hold(): void;
  /** Draws again, the latest screen and logs at once. */
  release(): void;
  /** Stops redrawing and leaves the last screen on the terminal. */
  close(): void;
}

const ESC = '\u001b[';
/** The longest log line shown (characters); longer ones are cut with an ellipsis. */
const MAX_LOG_LINE = 4000;

/** Creates a {@link Screen} on a stream (default stdout). Works in Windows Terminal, cmd and any ANSI terminal. */
export function createScreen(
  stream: NodeJS.WriteStream = process.stdout,
  options: { maxHz?: number; forcePlain?: boolean; plainEveryMs?: number } = {},
): Screen {
  const interactive =
    !options.forcePlain && Boolean((stream as WriteStream).isTTY) && process.env.TERM !== 'dumb';
  const gapMs = interactive ? 1000 / (options.maxHz ?? 4) : (options.plainEveryMs ?? 3000);
  let lastText = '';
  let pending: string | (() => string) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastDraw = 0;
  let held = false;
  const logs: string[] = [];

  const made = (text: string | (() => string)) => (typeof text === 'string' ? text : text());

  /** The latest screen: a pending one is made now. */
  function latest(): string {
    if (pending !== undefined) {
      lastText = made(pending);
      pending = undefined;
    }
    return lastText;
  }

  /** Prints the piped screen when the latest text differs from what was printed. */
  function printPlain() {
    lastDraw = performance.now();
    const printed = lastText;
    const text = latest();
    if (text !== printed) stream.write(`${text}\n\n`);
  }

  const flush = () => (interactive ? draw(latest()) : printPlain());

  function draw(text: string) {
    // Held: render() and log() keep lastText and the logs, release() draws them.
    if (held) return;
    lastDraw = performance.now();
    const recent = logs.slice(-8);
    stream.write(
      `${ESC}H${ESC}2J${ESC}3J${text}\n${recent.length ? `\n${recent.join('\n')}\n` : ''}`,
    );
  }

  return {
    interactive,
    render(text) {
      // Piped output prints the screen only when it changed, at most every few seconds, so a log
      // stays readable; a terminal redraws it at most maxHz times a second. close() shows the last.
      if (!interactive && text === lastText) return;
      pending = text;
      const wait = gapMs - (performance.now() - lastDraw);
      if (wait <= 0) flush();
      else if (!timer) {
        timer = setTimeout(() => {
          timer = undefined;
          if (pending !== undefined) flush();
        }, wait);
        if (!interactive) timer.unref();
      }
    },
    log(raw) {
      const line = toDisplayText(raw, MAX_LOG_LINE);
      if (!interactive) {
        stream.write(`${line}\n`);
        return;
      }
      logs.push(line);
      if (logs.length > 100) logs.shift();
      draw(latest());
    },
    hold() {
      if (interactive) held = true;
    },
    release() {
      if (!held) return;
      held = false;
      draw(latest());
    },
    close() {
      held = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (pending === undefined) return;
      flush();
    },
  };
}

/** Colours, off when NO_COLOR is set or the output is not a terminal. */
export function createColors(stream: NodeJS.WriteStream = process.stdout) {
  const on = Boolean((stream as WriteStream).isTTY) && !process.env.NO_COLOR;
  const wrap = (code: string) => (text: string) => (on ? `${ESC}${code}m${text}${ESC}0m` : text);
  return {
    bold: wrap('1'),
    dim: wrap('2'),
    red: wrap('31'),
    green: wrap('32'),
    yellow: wrap('33'),
    cyan: wrap('36'),
  };
}
