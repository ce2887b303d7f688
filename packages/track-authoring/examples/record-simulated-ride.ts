/**
 * Records a track from a simulated ride, as `gw2race-host track record --simulate --path` does
 * but without a terminal: a bot from @gw2race/simulator rides a course, its position comes in
 * at 25 Hz as the game writes it, and the "organizer" drops the start, a checkpoint wherever the
 * bot passes one of the course's marks, and the finish. The ridden path becomes the thinned
 * reference line. Prints what `track show` prints, then the size of the track file.
 *
 *   tsx examples/record-simulated-ride.ts
 */
import type { Track } from '@gw2race/protocol';
import { validateTrack } from '@gw2race/race-engine';
import { createBot } from '@gw2race/simulator';
import {
  createRecorder,
  encodeTrackJson,
  formatTrackSummary,
  type Here,
  recordedTrack,
  recorderStep,
  recordPathSample,
  summarizeTrack,
} from '../src/index';

/** The course the organizer rides (where the marks are in the world). */
const course: Track = {
  format: 'gw2race-track',
  version: 1,
  id: 'marks',
  name: 'Marks',
  mapId: 24,
  checkpoints: [
    { id: 0, x: 0, y: 10, z: 0, r: 12 },
    { id: 1, x: 90, y: 12, z: 10, r: 12 },
    { id: 2, x: 170, y: 14, z: 60, r: 12 },
    { id: 3, x: 200, y: 12, z: 150, r: 12 },
  ],
};
const marks = course.checkpoints.map((cp) => (cp.kind === 'gate' ? cp.a : cp));

const bot = createBot(course, { seed: 1 });
let state = createRecorder({ radius: 12, path: true });
const hereAt = (ms: number): Here => ({
  known: true,
  ...bot.at(ms / 1000).position,
  mapId: 24,
  at: ms,
});
const drop = (type: 'checkpoint' | 'finish', here: Here) => {
  const step = recorderStep(state, { type }, here);
  state = step.state;
  console.log(`  ${step.notice.text}`);
};

// The start is dropped before the bot sets off; then a drop where the bot comes closest to each
// next mark (it has just started moving away from it), the last one as the finish.
drop('checkpoint', hereAt(0));
let next = 1;
let nearest = Number.POSITIVE_INFINITY;
for (let ms = 40; ms <= (bot.duration + 0.5) * 1000 && next < marks.length; ms += 40) {
  const here = hereAt(ms);
  state = recordPathSample(state, here);
  const mark = marks[next] as { x: number; z: number };
  const d = here.known ? Math.hypot(here.x - mark.x, here.z - mark.z) : Number.POSITIVE_INFINITY;
  if (d > nearest && nearest < 6) {
    drop(next === marks.length - 1 ? 'finish' : 'checkpoint', here);
    next++;
    nearest = Number.POSITIVE_INFINITY;
  } else nearest = Math.min(nearest, d);
}

const saved = recordedTrack(state, { id: 'recorded', name: 'Recorded ride', author: 'Example' });
if (!saved.ok) throw saved.error;
const track = saved.value;
console.log('');
console.log(formatTrackSummary(track, summarizeTrack(track), validateTrack(track)));
console.log('');
console.log(`recorded.track.json would be ${encodeTrackJson(track).length} bytes`);
