import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { type KeyPress, listenKeys } from '../keys';
import { ask } from '../prompt';
import { createScreen } from '../terminal';

/** A stand-in for a terminal's stdin: a stream that says it is a TTY and records raw mode. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    raw: false,
    setRawMode(mode: boolean) {
      input.raw = mode;
      return input;
    },
  });
  const output = Object.assign(new PassThrough(), { columns: 80, rows: 24 });
  output.resume();
  return { input, output };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('keys after questions', () => {
  it('delivers keys, Ctrl-C included, after the setup questions closed their readline', async () => {
    const { input, output } = fakeTerminal();
    input.write('Spring Cup\r');
    expect(await ask('Tournament name', { fallback: 'gw2race', input, output })).toBe('Spring Cup');
    // Readline leaves the input paused: this is what stopped every key before.
    expect(input.isPaused()).toBe(true);

    const keys: string[] = [];
    const listener = listenKeys(
      (text, key: KeyPress | undefined) => keys.push(key?.ctrl ? `ctrl-${key.name}` : (text ?? '')),
      { input, output },
    );
    expect(input.raw).toBe(true);
    input.write('s');
    input.write('\u0003');
    await tick();
    expect(keys).toEqual(['s', 'ctrl-c']);
    listener.stop();
    expect(input.raw).toBe(false);
  });

  it('keeps delivering keys after a line was read in between, and none while it is read', async () => {
    const { input, output } = fakeTerminal();
    const keys: string[] = [];
    const listener = listenKeys((text) => keys.push(text ?? ''), { input, output });
    input.write('m');
    await tick();
    const line = listener.readLine('Message: ');
    expect(listener.prompting).toBe(true);
    input.write('hello all\r');
    expect(await line).toBe('hello all');
    expect(listener.prompting).toBe(false);
    expect(input.raw).toBe(true);
    input.write('p');
    input.write('\u0003');
    await tick();
    // The message's letters were not taken as keys; the keys after it were.
    expect(keys).toEqual(['m', 'p', '\u0003']);
    listener.stop();
  });

  it('a Ctrl-C at a line prompt cancels it; at a setup question it is INTERRUPTED (exit 130)', async () => {
    const { input, output } = fakeTerminal();
    const listener = listenKeys(() => {}, { input, output });
    const line = listener.readLine('Message: ');
    input.write('half\u0003');
    expect(await line).toBe('');
    listener.stop();

    const other = fakeTerminal();
    const question = ask('Laps', { input: other.input, output: other.output });
    other.input.write('\u0003');
    const error = await question.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe('INTERRUPTED');
    expect(isAppError(error) && error.exitCode).toBe(130);
  });

  it('asks again after an answer the validator refuses', async () => {
    const { input, output } = fakeTerminal();
    let shown = '';
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString();
    });
    const answer = ask('Laps', {
      input,
      output,
      validate: (text) => (/^\d+$/.test(text) ? undefined : 'a whole number, please'),
    });
    input.write('many\r');
    await tick();
    input.write('3\r');
    expect(await answer).toBe('3');
    expect(shown).toContain('a whole number, please');
  });
});

describe('screen hold', () => {
  it('draws nothing while held, then the latest screen and logs at once', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    const previous = process.env.TERM;
    process.env.TERM = 'xterm';
    const screen = createScreen(stream as unknown as NodeJS.WriteStream, { maxHz: 1000 });
    process.env.TERM = previous;
    screen.render('one');
    const before = stream.read()?.toString() ?? '';
    expect(before).toContain('one');
    screen.hold();
    screen.render('two');
    screen.log('a log line');
    expect(stream.read()).toBeNull();
    screen.release();
    const after = stream.read()?.toString() ?? '';
    expect(after).toContain('two');
    expect(after).toContain('a log line');
    screen.close();
  });
});

describe('stopping the keys', () => {
  it('cancels a line being read, and gives the terminal back', async () => {
    const { input, output } = fakeTerminal();
    const keys: string[] = [];
    const listener = listenKeys((text) => keys.push(text ?? ''), { input, output });
    const line = listener.readLine('Message: ');
    input.write('unfinished');
    listener.stop();
    expect(await line).toBe('');
    expect(input.raw).toBe(false);
    expect(input.isPaused()).toBe(true);
    input.write('x');
    await tick();
    expect(keys).toEqual([]);
  });
});
