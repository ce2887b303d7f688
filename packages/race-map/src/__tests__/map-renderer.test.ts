import type { Track } from '@gw2race/protocol';
import { type View, worldToScreen } from '@gw2race/race-analysis';
import { describe, expect, it } from 'vitest';
import { drawDeltaPlot } from '../delta-plot';
import { drawHud } from '../hud';
import { checkpointCenter, drawScene, MAP_COLORS, MARKER_RADIUS } from '../map-renderer';
import { fakeContext } from './fake-context';

const TRACK: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'unit',
  name: 'Unit course',
  mapId: 24,
  checkpoints: [
    { id: 0, role: 'start', x: 0, y: 0, z: 0, r: 10 },
    { id: 1, kind: 'gate', a: { x: 90, y: 0, z: 0 }, b: { x: 110, y: 0, z: 20 } },
    { id: 2, role: 'finish', x: 200, y: 0, z: 100, r: 10 },
  ],
};

const VIEW: View = { centerX: 100, centerZ: 50, scale: 2, width: 600, height: 400 };

describe('drawScene', () => {
  it('draws checkpoints and racers where the view transform puts them', () => {
    const { ctx, calls } = fakeContext();
    drawScene(
      ctx,
      VIEW,
      {
        track: TRACK,
        racers: [
          { playerId: 'a', x: 50, z: 10, color: '#ff5d5d', label: 'Ann' },
          { playerId: 'b', x: 150, z: 60, color: '#4fc3f7', label: 'Bob', ghost: true },
        ],
        trails: [{ color: '#ff5d5d', x: [0, 25, 50], z: [0, 5, 10] }],
      },
      { background: '#123456', grid: false, labels: true },
    );
    const at = (x: number, z: number) => worldToScreen(VIEW, x, z);
    expect(calls[1]).toMatchObject({ name: 'fillRect', args: [0, 0, 600, 400] });
    expect(calls[1]?.fillStyle).toBe('#123456');

    const arcs = calls.filter((c) => c.name === 'arc');
    const arcAt = (sx: number, sy: number, r: number) =>
      arcs.filter((c) => c.args[0] === sx && c.args[1] === sy && c.args[2] === r);
    // Start and finish spheres: the radius scales with the view (10 m × 2 px/m).
    const [startX, startY] = at(0, 0);
    expect(arcAt(startX, startY, 20)).toHaveLength(1);
    expect(arcAt(startX, startY, 20)[0]?.fillStyle).toBe(MAP_COLORS.start);
    const [finishX, finishY] = at(200, 100);
    expect(arcAt(finishX, finishY, 20)[0]?.fillStyle).toBe(MAP_COLORS.finish);
    // The gate: a line between its poles, a dot on each.
    const [ax, ay] = at(90, 0);
    const [bx, by] = at(110, 20);
    expect(arcAt(ax, ay, 4)).toHaveLength(1);
    expect(arcAt(bx, by, 4)).toHaveLength(1);
    const gateStart = calls.findIndex((c) => c.name === 'moveTo' && c.args[0] === ax);
    expect(calls[gateStart + 1]).toMatchObject({ name: 'lineTo', args: [bx, by] });
    expect(checkpointCenter(TRACK.checkpoints[1]!)).toEqual({ x: 100, z: 10 });

    // Racers: a filled marker and a hollow ghost, after (above) the track and the trail.
    const [annX, annY] = at(50, 10);
    const [bobX, bobY] = at(150, 60);
    const ann = calls.findIndex(
      (c) => c.name === 'arc' && c.args[0] === annX && c.args[1] === annY,
    );
    const bob = calls.findIndex(
      (c) => c.name === 'arc' && c.args[0] === bobX && c.args[1] === bobY,
    );
    expect(calls[ann]?.args[2]).toBe(MARKER_RADIUS);
    expect(calls.slice(ann).find((c) => c.name === 'fill')?.fillStyle).toBe('#ff5d5d');
    expect(calls.slice(bob).find((c) => c.name === 'stroke')?.strokeStyle).toBe('#4fc3f7');
    expect(calls.slice(bob, bob + 3).some((c) => c.name === 'fill')).toBe(false);
    const lastTrackArc = arcs.findIndex((c) => c.args[0] === finishX);
    expect(ann).toBeGreaterThan(calls.indexOf(arcs[lastTrackArc]!));

    // Labels: checkpoint names at their centres, racer names beside their markers, under them.
    const texts = calls.filter((c) => c.name === 'fillText');
    expect(texts).toContainEqual(expect.objectContaining({ args: ['START', startX, startY] }));
    expect(texts).toContainEqual(expect.objectContaining({ args: ['FINISH', finishX, finishY] }));
    const [gx, gy] = [(ax + bx) / 2, (ay + by) / 2];
    expect(texts).toContainEqual(expect.objectContaining({ args: ['1', gx, gy] }));
    const annLabel = calls.findIndex((c) => c.name === 'fillText' && c.args[0] === 'Ann');
    expect(calls[annLabel]?.args).toEqual(['Ann', annX + MARKER_RADIUS + 6, annY]);
    expect(annLabel).toBeLessThan(ann);
  });

  it('clears instead of filling for a transparent overlay, and draws no labels when asked', () => {
    const { ctx, calls } = fakeContext();
    drawScene(
      ctx,
      VIEW,
      { track: TRACK, racers: [{ playerId: 'a', x: 0, z: 0, color: '#fff', label: 'Ann' }] },
      { background: null, grid: false, labels: false },
    );
    expect(calls[1]).toMatchObject({ name: 'clearRect', args: [0, 0, 600, 400] });
    const texts = calls.filter((c) => c.name === 'fillText').map((c) => c.args[0]);
    // Only the scale bar (100 px at 2 px/m) and the north arrow write text.
    expect(texts).toEqual(['50 m', 'N']);
  });
});

describe('drawHud and drawDeltaPlot', () => {
  it('draw the ranking rows and the delta series', () => {
    const hud = fakeContext();
    drawHud(hud.ctx, 800, {
      title: 'Final',
      clock: '1:02.345',
      rows: [{ position: 1, name: 'Ann', color: '#ff5d5d', value: '1:02.345' }],
    });
    const texts = hud.calls.filter((c) => c.name === 'fillText').map((c) => c.args[0]);
    expect(texts).toEqual(['Final', '1:02.345', '1', 'Ann', '1:02.345']);

    const plot = fakeContext();
    drawDeltaPlot(
      plot.ctx,
      300,
      100,
      { length: 100, distance: [0, 50, 100], delta: [0, 0.5, 1] },
      { reference: 'Ann', compared: 'Bob', color: '#4fc3f7' },
    );
    const lines = plot.calls.filter((c) => c.name === 'lineTo' && c.strokeStyle === '#4fc3f7');
    // The left margin fits the widest axis label (`+1.08 s`: 7 characters of 6 px) and 10 px.
    expect(lines.map((c) => c.args[0])).toEqual([52 + 119, 52 + 238]);
    const title = plot.calls.filter((c) => c.name === 'fillText').at(-1);
    expect(title?.args[0]).toBe('Bob vs Ann: final +1.000 s (above 0 = behind)');
  });
});
