import { frameCount, frameTime } from '@gw2race/race-analysis';
/** What the exported video is made of. */
export interface VideoJob {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Race-time range (ms) and playback speed: the video lasts `(toMs - fromMs) / speed`. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly speed: number;
  /** `mp4` or `webm`: the container wanted (WebCodecs path); the fallback always gives WebM. */
  readonly container: 'mp4' | 'webm';
  /** Draws the frame at a race time on the video's canvas. */
  renderFrame(ctx: CanvasRenderingContext2D, raceTimeMs: number): void;
  /** Called after each frame with the fraction done. */
  onProgress(fraction: number, note: string): void;
  readonly signal: AbortSignal;
}

/** The finished video. */
export interface VideoResult {
  readonly blob: Blob;
  readonly extension: string;
  readonly mimeType: string;
  /** How it was made: frame by frame with WebCodecs, or by recording the canvas in real time. */
  readonly method: 'webcodecs' | 'mediarecorder';
  readonly codec: string;
  /** Wall-clock time it took, and the video's length, in ms. */
  readonly elapsedMs: number;
  readonly videoMs: number;
}

function abortError(): DOMException {
  return new DOMException('video export cancelled', 'AbortError');
}

/**
 * Renders a replay to a video file. With WebCodecs (Chrome, Edge, Safari 16.4+, Firefox 130+)
 * frames are drawn and encoded as fast as the machine allows — usually many times faster than
 * real time — and muxed by Mediabunny into MP4 or WebM. Without it, the canvas is recorded in
 * real time with MediaRecorder (WebM).
 */
export async function exportVideo(job: VideoJob): Promise<VideoResult> {
  if (typeof VideoEncoder !== 'undefined') {
    const result = await encodeWithWebCodecs(job);
    if (result) return result;
  }
  return recordRealTime(job);
}

async function encodeWithWebCodecs(job: VideoJob): Promise<VideoResult | undefined> {
  const mb = await import('./muxer');
  const width = job.width - (job.width % 2);
  const height = job.height - (job.height % 2);
  const formats =
    job.container === 'mp4'
      ? [new mb.Mp4OutputFormat({ fastStart: 'in-memory' }), new mb.WebMOutputFormat()]
      : [new mb.WebMOutputFormat(), new mb.Mp4OutputFormat({ fastStart: 'in-memory' })];
  for (const format of formats) {
    const preferred = (
      format instanceof mb.Mp4OutputFormat ? ['avc', 'vp9', 'av1'] : ['vp9', 'vp8', 'av1']
    ) as ('avc' | 'vp9' | 'vp8' | 'av1')[];
    const codec = await mb.getFirstEncodableVideoCodec(preferred, { width, height });
    if (!codec) continue;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    const target = new mb.BufferTarget();
    const output = new mb.Output({ format, target });
    const source = new mb.CanvasSource(canvas, {
      codec,
      bitrate: mb.QUALITY_HIGH,
      keyFrameInterval: 2,
    });
    output.addVideoTrack(source, { frameRate: job.fps });
    const started = performance.now();
    await output.start();
    const frames = frameCount(job);
    try {
      for (let i = 0; i < frames; i++) {
        if (job.signal.aborted) throw abortError();
        job.renderFrame(ctx, frameTime(job, i));
        await source.add(i / job.fps, 1 / job.fps);
        if (i % 5 === 0 || i === frames - 1)
          job.onProgress((i + 1) / frames, `frame ${i + 1} of ${frames} (${codec})`);
      }
      source.close();
      await output.finalize();
    } catch (error) {
      await output.cancel().catch(() => undefined);
      throw error;
    }
    const buffer = target.buffer;
    if (!buffer) throw new Error('the video muxer produced nothing');
    return {
      blob: new Blob([buffer], { type: format.mimeType }),
      extension: format.fileExtension.replace(/^\./, ''),
      mimeType: format.mimeType,
      method: 'webcodecs',
      codec,
      elapsedMs: performance.now() - started,
      videoMs: (frames / job.fps) * 1000,
    };
  }
  return undefined;
}

async function recordRealTime(job: VideoJob): Promise<VideoResult> {
  if (typeof MediaRecorder === 'undefined') throw new Error('this browser can record no video');
  const canvas = document.createElement('canvas');
  canvas.width = job.width;
  canvas.height = job.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  // VP8 first: the browser encodes in software as the frames come, and VP9 at 720p can fall so
  // far behind on a busy machine that nothing is encoded before the recording stops.
  const mimeType =
    ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm', 'video/mp4'].find((t) =>
      MediaRecorder.isTypeSupported(t),
    ) ?? '';
  job.renderFrame(ctx, job.fromMs);
  const stream = canvas.captureStream(job.fps);
  const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => resolve();
  });
  const videoMs = (job.toMs - job.fromMs) / job.speed;
  const started = performance.now();
  recorder.start(1000);
  await new Promise<void>((resolve, reject) => {
    const tick = () => {
      if (job.signal.aborted) {
        recorder.stop();
        reject(abortError());
        return;
      }
      const elapsed = performance.now() - started;
      const t = Math.min(job.fromMs + elapsed * job.speed, job.toMs);
      job.renderFrame(ctx, t);
      job.onProgress(Math.min(1, elapsed / videoMs), 'recording in real time (no WebCodecs here)');
      if (elapsed >= videoMs) resolve();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  recorder.stop();
  await stopped;
  for (const track of stream.getTracks()) track.stop();
  if (chunks.length === 0)
    throw new Error(
      'the browser recorded no video frames (the machine may be too busy to record in real time): try again, or a browser with WebCodecs',
    );
  const type = recorder.mimeType || mimeType || 'video/webm';
  return {
    blob: new Blob(chunks, { type }),
    extension: type.includes('mp4') ? 'mp4' : 'webm',
    mimeType: type,
    method: 'mediarecorder',
    codec: type,
    elapsedMs: performance.now() - started,
    videoMs,
  };
}
