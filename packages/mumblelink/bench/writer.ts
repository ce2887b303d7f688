/**
 * A stand-in for the game in the CPU benchmark, run as a separate process so its own CPU is not
 * counted: writes a block at `hz` through the file writer, moving the avatar every other write
 * (the game moves it at about 25 Hz while it updates the tick every frame).
 * Usage: tsx bench/writer.ts <path> <hz>
 */
import { createFileWriter, createFrame } from '../src/index';

const [path, hzText] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: writer.ts <path> <hz>');
const hz = Number(hzText ?? 50);
const writer = createFileWriter({ path });
let tick = 0;
const timer = setInterval(() => {
  tick++;
  const step = Math.floor(tick / 2);
  writer.write(
    createFrame({
      tick,
      avatar: { position: { x: Math.cos(step / 50) * 200, y: 12, z: Math.sin(step / 50) * 200 } },
      context: { mapId: 1206, mount: 'roller-beetle' },
    }),
  );
}, 1000 / hz);
process.on('SIGTERM', () => {
  clearInterval(timer);
  writer.close();
  process.exit(0);
});
