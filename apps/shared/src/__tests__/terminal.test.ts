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
