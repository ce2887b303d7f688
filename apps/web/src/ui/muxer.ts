// The parts of Mediabunny the video export uses, imported by name so the bundler keeps only
// them; video-export.ts loads this module on demand (it is not in the viewer's first load).
export {
  BufferTarget,
  CanvasSource,
  getFirstEncodableVideoCodec,
  Mp4OutputFormat,
  Output,
  QUALITY_HIGH,
  WebMOutputFormat,
} from 'mediabunny';
