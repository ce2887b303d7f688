import { encodeFrameInto } from './encode-frame';
import { describeCause, MumbleLinkError } from './errors';
import { LINKED_MEM_SIZE } from './layout';
import type { MumbleLinkSource } from './source';
import { CONSISTENT_READ_ATTEMPTS, DEFAULT_MUMBLE_LINK_NAME } from './source';
import type { MumbleLinkWriter } from './writer';

/**
 * The kernel32 functions used for named shared memory, as koffi prototypes. `HANDLE` and
 * `LPVOID` are `void *`, `BOOL` is a 32-bit `int`, `DWORD` is `uint32_t`, `SIZE_T` is
 * `uintptr_t`, names are UTF-16 (`char16_t *`). `hFile` is declared `intptr_t` so
 * `INVALID_HANDLE_VALUE` (-1: a mapping backed by the paging file) can be passed as a number.
 * `__stdcall` matters on 32-bit Windows only; elsewhere koffi uses the platform ABI.
 */
export const KERNEL32_PROTOTYPES = {
  OpenFileMappingW:
    'void * __stdcall OpenFileMappingW(uint32_t dwDesiredAccess, int bInheritHandle, const char16_t *lpName)',
  CreateFileMappingW:
    'void * __stdcall CreateFileMappingW(intptr_t hFile, void *lpFileMappingAttributes, uint32_t flProtect, uint32_t dwMaximumSizeHigh, uint32_t dwMaximumSizeLow, const char16_t *lpName)',
  MapViewOfFile:
    'void * __stdcall MapViewOfFile(void *hFileMappingObject, uint32_t dwDesiredAccess, uint32_t dwFileOffsetHigh, uint32_t dwFileOffsetLow, uintptr_t dwNumberOfBytesToMap)',
  UnmapViewOfFile: 'int __stdcall UnmapViewOfFile(void *lpBaseAddress)',
  CloseHandle: 'int __stdcall CloseHandle(void *hObject)',
  GetLastError: 'uint32_t __stdcall GetLastError(void)',
} as const;

/** Win32 constants used with {@link KERNEL32_PROTOTYPES}. */
export const WIN32 = {
  /** `FILE_MAP_WRITE` (also allows reading). */
  FILE_MAP_WRITE: 0x0002,
  /** `FILE_MAP_READ`. */
  FILE_MAP_READ: 0x0004,
  /** `PAGE_READWRITE`: protection of a mapping we create. */
  PAGE_READWRITE: 0x04,
  /** `INVALID_HANDLE_VALUE` as `intptr_t`: back the mapping with the paging file. */
  INVALID_HANDLE_VALUE: -1,
  /** `ERROR_FILE_NOT_FOUND`: no mapping has that name yet. */
  ERROR_FILE_NOT_FOUND: 2,
} as const;

/** A pointer or handle as koffi returns it (`bigint`; `null` for NULL). */
export type NativePointer = bigint | null;

/**
 * The native calls a shared-memory source or writer makes: kernel32 through koffi on Windows
 * ({@link loadKernel32}), or a stand-in that behaves like it (tests).
 */
export interface Kernel32Bindings {
  /** `OpenFileMappingW`. */
  OpenFileMappingW(access: number, inherit: number, name: string): NativePointer;
  /** `CreateFileMappingW`. */
  CreateFileMappingW(
    file: number,
    attributes: null,
    protect: number,
    sizeHigh: number,
    sizeLow: number,
    name: string,
  ): NativePointer;
  /** `MapViewOfFile`. */
  MapViewOfFile(
    mapping: bigint,
    access: number,
    offsetHigh: number,
    offsetLow: number,
    bytes: number,
  ): NativePointer;
  /** `UnmapViewOfFile`. */
  UnmapViewOfFile(address: bigint): number;
  /** `CloseHandle`. */
  CloseHandle(handle: bigint): number;
  /** `GetLastError` (koffi keeps the value of the previous call). */
  GetLastError(): number;
  /** The memory at `address` as an `ArrayBuffer`, without copying (`koffi.view`). */
  view(address: bigint, length: number): ArrayBuffer;
}

let kernel32: Promise<Kernel32Bindings> | undefined;

/**
 * Loads koffi and binds {@link KERNEL32_PROTOTYPES} from `kernel32.dll`, once. koffi is imported
 * only here, on first use, so nothing touches kernel32 (or koffi's native module) elsewhere.
 * Rejects with `UNSUPPORTED_PLATFORM` off Windows and `FFI_UNAVAILABLE` when koffi fails to load.
 */
export function loadKernel32(platform: string = process.platform): Promise<Kernel32Bindings> {
  if (platform !== 'win32') {
    return Promise.reject(
      new MumbleLinkError(
        'UNSUPPORTED_PLATFORM',
        `named shared memory is a Windows feature (this is ${platform}); read a file such as /dev/shm/MumbleLink instead`,
      ),
    );
  }
  kernel32 ??= bindKernel32().catch((cause: unknown) => {
    kernel32 = undefined;
    throw isMumbleLinkErrorLike(cause)
      ? cause
      : new MumbleLinkError(
          'FFI_UNAVAILABLE',
          `cannot load koffi/kernel32: ${describeCause(cause)}`,
          {
            cause,
          },
        );
  });
  return kernel32;
}

function isMumbleLinkErrorLike(cause: unknown): cause is MumbleLinkError {
  return cause instanceof MumbleLinkError;
}

async function bindKernel32(): Promise<Kernel32Bindings> {
  const { load, view } = await import('koffi');
  const library = load('kernel32.dll');
  const fn = (name: keyof typeof KERNEL32_PROTOTYPES) => library.func(KERNEL32_PROTOTYPES[name]);
  const open = fn('OpenFileMappingW');
  const create = fn('CreateFileMappingW');
  const map = fn('MapViewOfFile');
  const unmap = fn('UnmapViewOfFile');
  const close = fn('CloseHandle');
  const lastError = fn('GetLastError');
  return {
    OpenFileMappingW: (access, inherit, name) => open(access, inherit, name) as NativePointer,
    CreateFileMappingW: (file, attributes, protect, high, low, name) =>
      create(file, attributes, protect, high, low, name) as NativePointer,
    MapViewOfFile: (mapping, access, high, low, bytes) =>
      map(mapping, access, high, low, bytes) as NativePointer,
    UnmapViewOfFile: (address) => unmap(address) as number,
    CloseHandle: (handle) => close(handle) as number,
    GetLastError: () => lastError() as number,
    view: (address, length) => view(address, length),
  };
}

/** Options of {@link openSharedMemorySource} and {@link openSharedMemoryWriter}. */
export interface SharedMemoryOptions {
  /** Mapping name: `MumbleLink`, or what the game was started with (`-mumble NAME`). */
  name?: string;
  /** Native calls to use (default: kernel32 via koffi, loaded on first use). */
  bindings?: Kernel32Bindings;
}

/** Options of {@link openSharedMemorySource}. */
export interface SharedMemorySourceOptions extends SharedMemoryOptions {
  /** See `FileSourceOptions.consistentReads` (default `true`). */
  consistentReads?: boolean;
}

interface Mapping {
  readonly memory: Uint8Array;
  release(): void;
}

function win32Failure(bindings: Kernel32Bindings, what: string): MumbleLinkError {
  const code = bindings.GetLastError();
  return new MumbleLinkError('SHARED_MEMORY_FAILED', `${what} failed (Win32 error ${code})`, {
    win32Error: code,
  });
}

/**
 * Opens the named mapping, creating it when it does not exist yet: GW2 writes only into a mapping
 * that exists, so a reader started before the game must create it for the game to fill.
 */
function openMapping(bindings: Kernel32Bindings, name: string, write: boolean): Mapping {
  const access = write ? WIN32.FILE_MAP_WRITE : WIN32.FILE_MAP_READ;
  let handle = bindings.OpenFileMappingW(access, 0, name);
  if (handle === null || handle === 0n) {
    const code = bindings.GetLastError();
    if (code !== WIN32.ERROR_FILE_NOT_FOUND) {
      throw new MumbleLinkError(
        'SHARED_MEMORY_FAILED',
        `OpenFileMappingW("${name}") failed (Win32 error ${code})`,
        { win32Error: code },
      );
    }
    handle = bindings.CreateFileMappingW(
      WIN32.INVALID_HANDLE_VALUE,
      null,
      WIN32.PAGE_READWRITE,
      0,
      LINKED_MEM_SIZE,
      name,
    );
    if (handle === null || handle === 0n)
      throw win32Failure(bindings, `CreateFileMappingW("${name}")`);
  }
  const mapping = handle;
  const address = bindings.MapViewOfFile(mapping, access, 0, 0, LINKED_MEM_SIZE);
  if (address === null || address === 0n) {
    const failure = win32Failure(bindings, `MapViewOfFile("${name}")`);
    bindings.CloseHandle(mapping);
    throw failure;
  }
  let memory: Uint8Array;
  try {
    memory = new Uint8Array(bindings.view(address, LINKED_MEM_SIZE));
  } catch (cause) {
    bindings.UnmapViewOfFile(address);
    bindings.CloseHandle(mapping);
    // Some runtimes (Electron) forbid external buffers, which koffi.view needs.
    throw new MumbleLinkError(
      'FFI_UNAVAILABLE',
      `cannot view the mapping "${name}" as memory (${describeCause(cause)}); this runtime may forbid external buffers`,
      { cause },
    );
  }
  let released = false;
  return {
    memory,
    release() {
      if (released) return;
      released = true;
      bindings.UnmapViewOfFile(address);
      bindings.CloseHandle(mapping);
    },
  };
}

function describeName(name: string): string {
  return `shared memory "${name}"`;
}

/**
 * A source reading the game's named shared memory on Windows (kernel32 through koffi, loaded
 * lazily). The mapping is created when missing, so the reader can start before the game; until
 * the game writes, the block is all zeros, which the reader reports as "waiting".
 *
 * @example
 * const source = await openSharedMemorySource({ name: 'MumbleLink' });
 */
export async function openSharedMemorySource(
  options: SharedMemorySourceOptions = {},
): Promise<MumbleLinkSource> {
  const name = options.name ?? DEFAULT_MUMBLE_LINK_NAME;
  const bindings = options.bindings ?? (await loadKernel32());
  const consistent = options.consistentReads ?? true;
  let mapping = openMapping(bindings, name, false);
  const copies = [new Uint8Array(LINKED_MEM_SIZE), new Uint8Array(LINKED_MEM_SIZE)] as const;
  // Buffer views of the same memory, for a native compare.
  const compare = new Map(
    copies.map((c) => [c, Buffer.from(c.buffer, c.byteOffset, c.byteLength)]),
  );
  let closed = false;
  return {
    description: describeName(name),
    read() {
      if (closed)
        throw new MumbleLinkError('CLOSED', `the source for ${describeName(name)} is closed`);
      // Copy out of the live mapping: the game writes into it while we read.
      let [current, other] = copies;
      current.set(mapping.memory);
      if (consistent) {
        for (let attempt = 1; attempt < CONSISTENT_READ_ATTEMPTS; attempt++) {
          other.set(mapping.memory);
          if (compare.get(current)!.equals(other)) break;
          [current, other] = [other, current];
        }
      }
      return current;
    },
    close() {
      if (closed) return;
      closed = true;
      mapping.release();
    },
    reopen() {
      if (closed) return;
      // Release first: if the game has closed, ours was the last handle and the mapping goes;
      // the one opened (created) next is empty, for a restarted game to fill.
      mapping.release();
      mapping = openMapping(bindings, name, false);
    },
  };
}

/**
 * A writer into named shared memory on Windows, creating the mapping when missing. The mapping
 * lives while some process holds it: keep the writer open as long as readers need the block.
 */
export async function openSharedMemoryWriter(
  options: SharedMemoryOptions = {},
): Promise<MumbleLinkWriter> {
  const name = options.name ?? DEFAULT_MUMBLE_LINK_NAME;
  const bindings = options.bindings ?? (await loadKernel32());
  const mapping = openMapping(bindings, name, true);
  const scratch = new Uint8Array(LINKED_MEM_SIZE);
  let closed = false;
  return {
    description: describeName(name),
    write(frame) {
      if (closed)
        throw new MumbleLinkError('CLOSED', `the writer for ${describeName(name)} is closed`);
      let bytes: Uint8Array;
      if (frame instanceof Uint8Array) {
        bytes = frame.subarray(0, LINKED_MEM_SIZE);
      } else {
        encodeFrameInto(frame, scratch);
        bytes = scratch;
      }
      // Body first, then version and tick (see MumbleLinkWriter).
      if (bytes.length > 8) mapping.memory.set(bytes.subarray(8), 8);
      if (bytes.length < LINKED_MEM_SIZE) mapping.memory.fill(0, Math.max(8, bytes.length));
      mapping.memory.set(bytes.subarray(0, Math.min(8, bytes.length)), 0);
    },
    close() {
      if (closed) return;
      closed = true;
      mapping.release();
    },
  };
}
