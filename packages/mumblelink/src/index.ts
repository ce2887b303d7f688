export type { ManualClock, MonotonicClock, Scheduler } from './clock';
export { createManualClock, systemClock, systemScheduler } from './clock';
export type { ContextInit, FrameInit } from './create-frame';
export { createFrame } from './create-frame';
export type { DecodeOptions, FrameDecoder } from './decode-frame';
export { createFrameDecoder, decodeFrame, readTick } from './decode-frame';
export type { Unsubscribe } from './emitter';
export { encodeFrame, encodeFrameInto } from './encode-frame';
export type { MumbleLinkErrorCode, MumbleLinkErrorOptions } from './errors';
export { isMumbleLinkError, MUMBLE_LINK_ERROR_CODES, MumbleLinkError } from './errors';
export type { FileSourceOptions } from './file-source';
export { createFileSource } from './file-source';
export type { FileWriterOptions } from './file-writer';
export { createFileWriter } from './file-writer';
export type {
  Gw2Context,
  MumbleLinkFrame,
  MumbleLinkIdentity,
  Pose,
  ServerAddress,
  UiState,
  Vec3,
} from './frame';
export { formatIdentity, parseIdentity } from './identity';
export type { MapTypeName, MountName } from './layout';
export {
  GW2_CONTEXT_LAYOUT,
  INCHES_PER_METRE,
  LINKED_MEM_LAYOUT,
  LINKED_MEM_SIZE,
  MAP_TYPE_NAMES,
  MOUNT_NAMES,
  UI_STATE_BITS,
} from './layout';
export type { OpenMumbleLinkOptions } from './open-mumble-link';
export { openMumbleLinkSource, openMumbleLinkWriter } from './open-mumble-link';
export { createMumbleLinkReader } from './reader';
export type {
  FramesOptions,
  MapChange,
  MumbleLinkReader,
  MumbleLinkReaderEvents,
  MumbleLinkReaderOptions,
  MumbleLinkSample,
  ReaderStatus,
  StatusChange,
  TickReset,
} from './reader-types';
export type { Result } from './result';
export type {
  Kernel32Bindings,
  NativePointer,
  SharedMemoryOptions,
  SharedMemorySourceOptions,
} from './shared-memory';
export {
  KERNEL32_PROTOTYPES,
  loadKernel32,
  openSharedMemorySource,
  openSharedMemoryWriter,
  WIN32,
} from './shared-memory';
export type { MumbleLinkSource } from './source';
export type { VelocityEstimate, VelocityEstimator, VelocityOptions } from './velocity';
export { createVelocityEstimator } from './velocity';
export { waitingMessage } from './waiting-message';
export type { MumbleLinkWriter } from './writer';
