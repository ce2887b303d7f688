import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame } from '@gw2race/mumblelink';
import type { Track } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import { startMumbleBot } from '../../node/index';

const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'short',
  name: 'Short',
  mapId: 24,
  checkpoints: [
    { id: 0, x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
  ],
};

describe('startMumbleBot', () => {
  it('keeps a MumbleLink file up to date as the game would, and removes it when stopped', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gw2race-sim-')), 'link');
    const started = performance.now();
    const ride = startMumbleBot({
      track: TRACK,
      seed: 1,
      name: 'File Bot',
      path,
      seconds: () => (performance.now() - started) / 1000,
    });
    try {
      expect(ride.path).toBe(path);
      const first = decodeFrame(new Uint8Array(readFileSync(path)));
      if (!first.ok) throw first.error;
      expect(first.value.identity?.name).toBe('File Bot');
      expect(first.value.context.processId).toBe(process.pid);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const later = decodeFrame(new Uint8Array(readFileSync(path)));
      if (!later.ok) throw later.error;
      expect(later.value.tick).toBeGreaterThan(first.value.tick);
      expect(later.value.avatar.position.x).toBeGreaterThanOrEqual(0);
      expect(ride.bot.length).toBeGreaterThan(90);
    } finally {
      ride.stop();
    }
    expect(existsSync(path)).toBe(false);
  });

  it('writes into a fresh temporary file by default', () => {
    const ride = startMumbleBot({ track: TRACK, seed: 1, name: 'Bot', seconds: () => undefined });
    try {
      expect(ride.path.startsWith(tmpdir())).toBe(true);
      expect(existsSync(ride.path)).toBe(true);
    } finally {
      ride.stop();
    }
  });
});
