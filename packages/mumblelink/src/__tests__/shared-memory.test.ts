import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import koffi from 'koffi';
import { afterAll, describe, expect, it } from 'vitest';
import type { Kernel32Bindings, NativePointer } from '../index';
import {
  createFileWriter,
  createFrame,
  createManualClock,
  createMumbleLinkReader,
  decodeFrame,
  isMumbleLinkError,
  KERNEL32_PROTOTYPES,
  loadKernel32,
  openMumbleLinkSource,
  openSharedMemorySource,
  openSharedMemoryWriter,
  WIN32,
} from '../index';

describe('kernel32 declarations', () => {
  const pointerSize = koffi.types.uintptr_t.size;
  type Arg = { type: { name: string; primitive: string; size: number } };
  const parse = (name: keyof typeof KERNEL32_PROTOTYPES) => {
    const type = koffi.proto(KERNEL32_PROTOTYPES[name]);
    const proto = type.proto!;
    const args = proto.arguments as unknown as Arg[];
    return {
      name: proto.name,
      result: [proto.result.primitive, proto.result.size],
      args: args.map(({ type: arg }) => [arg.primitive, arg.size]),
    };
  };
  const HANDLE = ['Pointer', pointerSize];
  const DWORD = ['UInt32', 4];
  const BOOL = ['Int32', 4];
  const LPCWSTR = ['String16', pointerSize];

  it('declare OpenFileMappingW(DWORD, BOOL, LPCWSTR) -> HANDLE', () => {
    expect(parse('OpenFileMappingW')).toEqual({
      name: 'OpenFileMappingW',
      result: HANDLE,
      args: [DWORD, BOOL, LPCWSTR],
    });
  });

  it('declare CreateFileMappingW(HANDLE as intptr, LPSECURITY_ATTRIBUTES, DWORD x3, LPCWSTR) -> HANDLE', () => {
    const parsed = parse('CreateFileMappingW');
    expect(parsed.name).toBe('CreateFileMappingW');
    expect(parsed.result).toEqual(HANDLE);
    expect(parsed.args).toEqual([
      [pointerSize === 8 ? 'Int64' : 'Int32', pointerSize],
      HANDLE,
      DWORD,
      DWORD,
      DWORD,
      LPCWSTR,
    ]);
  });

  it('declare MapViewOfFile(HANDLE, DWORD x3, SIZE_T) -> LPVOID', () => {
    expect(parse('MapViewOfFile')).toEqual({
      name: 'MapViewOfFile',
      result: HANDLE,
      args: [HANDLE, DWORD, DWORD, DWORD, [pointerSize === 8 ? 'UInt64' : 'UInt32', pointerSize]],
    });
  });

  it('declare UnmapViewOfFile(LPCVOID), CloseHandle(HANDLE) -> BOOL and GetLastError() -> DWORD', () => {
    expect(parse('UnmapViewOfFile')).toEqual({
      name: 'UnmapViewOfFile',
      result: BOOL,
      args: [HANDLE],
    });
    expect(parse('CloseHandle')).toEqual({ name: 'CloseHandle', result: BOOL, args: [HANDLE] });
    expect(parse('GetLastError')).toEqual({ name: 'GetLastError', result: DWORD, args: [] });
  });

  it('use the documented Win32 constants', () => {
    expect(WIN32).toEqual({
      FILE_MAP_WRITE: 2,
      FILE_MAP_READ: 4,
      PAGE_READWRITE: 4,
      INVALID_HANDLE_VALUE: -1,
      ERROR_FILE_NOT_FOUND: 2,
    });
  });

  it('are only loaded on Windows', async () => {
    const failure = await loadKernel32('linux').catch((error: unknown) => error);
    expect(isMumbleLinkError(failure) && failure.code).toBe('UNSUPPORTED_PLATFORM');
  });

  it('never import koffi statically, so Linux never loads it', () => {
    const dir = join(__dirname, '..');
    const sources = readdirSync(dir).filter((file) => file.endsWith('.ts'));
    for (const file of sources) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/^import(?!\s+type)[^;]*from\s+'koffi'/m);
      expect(text, file).not.toMatch(/require\(\s*'koffi'\s*\)/);
    }
    expect(readFileSync(join(dir, 'shared-memory.ts'), 'utf8')).toContain("await import('koffi')");
  });
});

/** kernel32's named mappings, simulated in memory, with a log of calls. */
function memoryKernel32(options: { failMapView?: number; failOpen?: number } = {}) {
  const mappings = new Map<string, ArrayBuffer>();
  const handles = new Map<bigint, string>();
  const views = new Map<bigint, ArrayBuffer>();
  const calls: string[] = [];
  let next = 0x1000n;
  let lastError = 0;
  const bindings: Kernel32Bindings = {
    OpenFileMappingW(access, inherit, name) {
      calls.push(`OpenFileMappingW(${access}, ${inherit}, ${name})`);
      if (options.failOpen !== undefined) {
        lastError = options.failOpen;
        return null;
      }
      if (!mappings.has(name)) {
        lastError = WIN32.ERROR_FILE_NOT_FOUND;
        return null;
      }
      handles.set(++next, name);
      return next;
    },
    CreateFileMappingW(file, attributes, protect, high, low, name) {
      calls.push(
        `CreateFileMappingW(${file}, ${attributes}, ${protect}, ${high}, ${low}, ${name})`,
      );
      if (!mappings.has(name)) mappings.set(name, new ArrayBuffer(low));
      handles.set(++next, name);
      return next;
    },
    MapViewOfFile(mapping, access, high, low, bytes): NativePointer {
      calls.push(`MapViewOfFile(${access}, ${high}, ${low}, ${bytes})`);
      if (options.failMapView !== undefined) {
        lastError = options.failMapView;
        return null;
      }
      views.set(++next, mappings.get(handles.get(mapping)!)!);
      return next;
    },
    UnmapViewOfFile(address) {
      calls.push('UnmapViewOfFile');
      return views.delete(address) ? 1 : 0;
    },
    CloseHandle(handle) {
      calls.push('CloseHandle');
      return handles.delete(handle) ? 1 : 0;
    },
    GetLastError: () => lastError,
    view: (address) => views.get(address)!,
  };
  return { bindings, calls, mappings, handles, views };
}

describe('Windows shared memory source and writer (simulated kernel32)', () => {
  it('creates the mapping when the game has not, under the -mumble name, and reads zeros', async () => {
    const kernel = memoryKernel32();
    const source = await openSharedMemorySource({ name: 'Racer2', bindings: kernel.bindings });
    expect(kernel.calls).toEqual([
      'OpenFileMappingW(4, 0, Racer2)',
      'CreateFileMappingW(-1, null, 4, 0, 5460, Racer2)',
      'MapViewOfFile(4, 0, 0, 5460)',
    ]);
    expect(source.description).toBe('shared memory "Racer2"');
    expect(source.read()).toEqual(new Uint8Array(5460));
    source.close();
    source.close();
    expect([kernel.views.size, kernel.handles.size]).toEqual([0, 0]);
    expect(() => source.read()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('opens an existing mapping and reads what a writer puts there', async () => {
    const kernel = memoryKernel32();
    const writer = await openSharedMemoryWriter({ bindings: kernel.bindings });
    const source = await openSharedMemorySource({ bindings: kernel.bindings });
    expect(kernel.calls.filter((call) => call.startsWith('Create'))).toHaveLength(1);
    const frame = createFrame({ tick: 9, context: { mount: 'skyscale' } });
    writer.write(frame);
    expect(decodeFrame(source.read()!)).toEqual({ ok: true, value: frame });
    const copy = source.read()!;
    writer.write(createFrame({ tick: 10 }));
    expect(decodeFrame(copy)).toMatchObject({ value: { tick: 9 } });
    writer.write(new Uint8Array([2, 0, 0, 0, 11, 0, 0, 0]));
    expect(source.read()!.subarray(0, 12)).toEqual(
      new Uint8Array([2, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0, 0]),
    );
    writer.close();
    source.close();
    expect(kernel.handles.size).toBe(0);
  });

  it('closes the handle and reports the Win32 error when MapViewOfFile fails', async () => {
    const kernel = memoryKernel32({ failMapView: 5 });
    const failure = await openSharedMemorySource({ bindings: kernel.bindings }).catch(
      (e: unknown) => e,
    );
    expect(isMumbleLinkError(failure) && [failure.code, failure.win32Error]).toEqual([
      'SHARED_MEMORY_FAILED',
      5,
    ]);
    expect(String(failure)).toMatch(/MapViewOfFile\("MumbleLink"\) failed \(Win32 error 5\)/);
    expect(kernel.handles.size).toBe(0);
  });

  it('releases the mapping and says why when the runtime cannot view it as memory', async () => {
    const kernel = memoryKernel32();
    const bindings = {
      ...kernel.bindings,
      view: () => {
        throw new Error('External buffers are not allowed');
      },
    };
    const failure = await openSharedMemorySource({ bindings }).catch((e: unknown) => e);
    expect(isMumbleLinkError(failure) && failure.code).toBe('FFI_UNAVAILABLE');
    expect(String(failure)).toMatch(/External buffers are not allowed/);
    expect([kernel.views.size, kernel.handles.size]).toEqual([0, 0]);
  });

  it('does not create a mapping when opening fails for another reason than "not found"', async () => {
    const kernel = memoryKernel32({ failOpen: 5 });
    const failure = await openSharedMemorySource({ bindings: kernel.bindings }).catch(
      (e: unknown) => e,
    );
    expect(isMumbleLinkError(failure) && failure.win32Error).toBe(5);
    expect(kernel.calls.some((call) => call.startsWith('Create'))).toBe(false);
  });

  it('is what openMumbleLinkSource picks on Windows, and the reader waits on its zeros', async () => {
    const kernel = memoryKernel32();
    const source = await openMumbleLinkSource({ platform: 'win32', bindings: kernel.bindings });
    const time = createManualClock();
    const reader = createMumbleLinkReader({ source, clock: time, scheduler: time });
    const messages: string[] = [];
    reader.on('waiting', (change) => messages.push(change.message));
    await reader.start();
    expect(messages).toEqual([
      'waiting for Guild Wars 2 (no MumbleLink data yet) — watching shared memory "MumbleLink"',
    ]);
    reader.stop();
    source.close();
  });
});

/**
 * kernel32's calls played by Linux: a mapping is a file under `dir`, a view is `mmap`, all
 * through koffi. This runs the source over real shared memory, with koffi.view and bigint
 * pointers, while a file writer updates the same pages.
 */
function posixKernel32(dir: string): Kernel32Bindings | null {
  let libc: ReturnType<typeof koffi.load>;
  try {
    libc = koffi.load('libc.so.6');
  } catch {
    return null;
  }
  const open = libc.func('int open(const char *path, int flags, uint32_t mode)');
  const close = libc.func('int close(int fd)');
  const ftruncate = libc.func('int ftruncate(int fd, int64_t length)');
  const mmap = libc.func(
    'void *mmap(void *addr, uintptr_t length, int prot, int flags, int fd, int64_t offset)',
  );
  const munmap = libc.func('int munmap(void *addr, uintptr_t length)');
  const O_RDWR = 2;
  const O_CREAT = 0o100;
  const handles = new Map<bigint, number>();
  let lastError = 0;
  const handleOf = (fd: number): bigint => {
    const handle = BigInt(fd + 1);
    handles.set(handle, fd);
    return handle;
  };
  return {
    OpenFileMappingW(_access, _inherit, name) {
      const fd = open(join(dir, name), O_RDWR, 0) as number;
      if (fd < 0) {
        lastError = WIN32.ERROR_FILE_NOT_FOUND;
        return null;
      }
      return handleOf(fd);
    },
    CreateFileMappingW(_file, _attributes, _protect, _high, low, name) {
      const fd = open(join(dir, name), O_RDWR | O_CREAT, 0o600) as number;
      ftruncate(fd, low);
      return handleOf(fd);
    },
    MapViewOfFile(mapping, _access, _high, _low, bytes) {
      const address = mmap(null, bytes, 0x1 | 0x2, 0x01, handles.get(mapping)!, 0) as bigint;
      return address === 0xffff_ffff_ffff_ffffn ? null : address;
    },
    UnmapViewOfFile: (address) => (munmap(address, 5460) === 0 ? 1 : 0),
    CloseHandle(handle) {
      const fd = handles.get(handle);
      handles.delete(handle);
      return fd !== undefined && close(fd) === 0 ? 1 : 0;
    },
    GetLastError: () => lastError,
    view: (address, length) => koffi.view(address, length),
  };
}

describe('shared memory source over real mmap through koffi (Linux)', () => {
  const dir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/gw2race-koffi-') : null;
  afterAll(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  });
  const bindings = dir === null ? null : posixKernel32(dir);

  it.skipIf(bindings === null)(
    'sees every write a file writer makes to the mapped pages',
    async () => {
      const source = await openSharedMemorySource({ name: 'MumbleLink', bindings: bindings! });
      expect(source.read()).toEqual(new Uint8Array(5460));
      const writer = createFileWriter({ path: join(dir!, 'MumbleLink') });
      for (let tick = 1; tick <= 50; tick++) {
        const frame = createFrame({
          tick,
          avatar: { position: { x: tick, y: -tick, z: tick / 2 } },
        });
        writer.write(frame);
        expect(decodeFrame(source.read()!)).toEqual({ ok: true, value: frame });
      }
      writer.close();
      source.close();
    },
  );
});
