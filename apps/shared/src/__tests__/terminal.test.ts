import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createScreen } from '../terminal';

describe('screen log lines (issue 18: escape injection)', () => {
  it('never lets a control character, bidi override or line separator from the wire reach the terminal', () => {
    const stream = new PassThrough();
    const screen = createScreen(stream as unknown as NodeJS.WriteStream, { forcePlain: true });
    // A topic, a client id and a name as an attacker would send them.
    screen.log(
      'refused a message on race/r1/pos/\u001b[2J\u001b]0;TITLE\u0007 from evil\u202eid\u2028x',
    );
    const written = stream.read()?.toString() ?? '';
    expect(written).toBe(
      'refused a message on race/r1/pos/\uFFFD[2J\uFFFD]0;TITLE\uFFFD from evil\uFFFDid\uFFFDx\n',
    );
  });

  it('cuts a very long line', () => {
    const stream = new PassThrough();
    const screen = createScreen(stream as unknown as NodeJS.WriteStream, { forcePlain: true });
    screen.log('x'.repeat(100_000));
    const written = stream.read()?.toString() ?? '';
    expect(written.length).toBe(4001);
    expect(written.endsWith('…\n')).toBe(true);
  });
});

function terminal() {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  const previous = process.env.TERM;
  process.env.TERM = 'xterm';
  const screen = createScreen(stream as unknown as NodeJS.WriteStream);
  process.env.TERM = previous;
  return { stream, screen };
}

/** Waits until `ready()` holds (bounded), without assuming how fast the machine is. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ready(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('a screen given a function', () => {
  it('makes the screen only when it draws, not once per change', async () => {
    const { stream, screen } = terminal();
    let made = 0;
    let value = 0;
    const make = () => {
      made++;
      return `value ${value}`;
    };
    for (value = 1; value <= 1000; value++) screen.render(make);
    value = 1000;
    // The first change draws at once; the other 999 wait for the next draw, which makes one.
    expect(made).toBe(1);
    await until(() => made > 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(made).toBe(2);
    const text = stream.read()?.toString() ?? '';
    expect(text).toContain('value 1');
    expect(text).toContain('value 1000');
    screen.close();
  });

  it('draws the latest screen on release after a hold, and on close', () => {
    const { stream, screen } = terminal();
    screen.render(() => 'one');
    stream.read();
    screen.hold();
    screen.render(() => 'two');
    expect(stream.read()).toBeNull();
    screen.release();
    expect(stream.read()?.toString()).toContain('two');
    screen.render(() => 'three');
    screen.close();
    expect(stream.read()?.toString()).toContain('three');
  });

  it('prints piped output only when the made text changed', async () => {
    const sink = new PassThrough();
    const screen = createScreen(sink as unknown as NodeJS.WriteStream, { plainEveryMs: 50 });
    screen.render(() => 'same');
    screen.render(() => 'same');
    await new Promise((resolve) => setTimeout(resolve, 120));
    screen.render(() => 'same');
    await new Promise((resolve) => setTimeout(resolve, 120));
    screen.close();
    const text = sink.read()?.toString() ?? '';
    expect(text.match(/same/g)).toHaveLength(1);
  });
});
