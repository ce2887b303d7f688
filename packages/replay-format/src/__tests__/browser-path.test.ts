import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openReplay } from '../open-replay';
import { readReplay } from '../read-replay';
import { recoverReplay } from '../recover-replay';
import { collect, recordedRace } from './helpers';

const src = join(import.meta.dirname, '..');

describe('the browser path', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('core sources touch no Node module, Buffer, process or timer', () => {
    const files = readdirSync(src).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const name of files) {
      const text = readFileSync(join(src, name), 'utf8');
      expect(text, name).not.toMatch(
        /from ['"]node:|require\(|\bBuffer\b|\bprocess\.|setTimeout|setInterval|Date\.now/,
      );
    }
  });

  it('reads, seeks and recovers from web streams with no Buffer in sight', async () => {
    const race = await recordedRace({ racers: 3, durationS: 20 });
    const expected = await collect(readReplay(race.bytes));
    // What a browser has: a fetch Response body, a Blob stream (Node's own implementations of
    // these use Buffer inside, so they run before Buffer is taken away).
    expect(await collect(readReplay(new Response(race.bytes.slice()).body!))).toEqual(expected);
    expect(await collect(readReplay(new Blob([race.bytes.slice()]).stream()))).toEqual(expected);
    vi.stubGlobal('Buffer', undefined);
    expect(globalThis.Buffer).toBeUndefined();
    expect(await collect(readReplay(race.bytes.slice().buffer))).toEqual(expected);
    // A stream that hands over odd-sized pieces, splitting members anywhere.
    const pieces = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < race.bytes.length; at += 777)
          controller.enqueue(race.bytes.slice(at, at + 777));
        controller.close();
      },
    });
    expect(await collect(readReplay(pieces))).toEqual(expected);
    // Leaving the loop early cancels the stream (a fetch stops downloading).
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(race.bytes.slice());
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const message of readReplay(endless)) {
      expect(message.at).toBeGreaterThan(0);
      break;
    }
    expect(cancelled).toBe(true);
    const opened = openReplay(race.bytes);
    expect(opened.ok && opened.value.seek(5000).positions.length).toBe(3);
    expect(recoverReplay(race.bytes.subarray(0, race.bytes.length - 10)).ok).toBe(true);
  });
});
