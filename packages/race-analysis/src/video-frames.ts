/** What a video of a replay covers: race time from and to (ms), playback speed, frames per second. */
export interface VideoFrames {
  readonly fromMs: number;
  readonly toMs: number;
  readonly speed: number;
  readonly fps: number;
}

/** Frames of a video of the replay between `fromMs` and `toMs` at `speed` (at least one). */
export function frameCount(job: VideoFrames): number {
  return Math.max(1, Math.ceil(((job.toMs - job.fromMs) / job.speed / 1000) * job.fps));
}

/** Race time (ms) shown in frame `i`. */
export function frameTime(job: Omit<VideoFrames, 'toMs'>, i: number): number {
  return job.fromMs + (i / job.fps) * 1000 * job.speed;
}
