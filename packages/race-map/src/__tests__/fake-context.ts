/** One recorded call on the fake context, with the fill/stroke style in force at the time. */
export interface Call {
  readonly name: string;
  readonly args: readonly unknown[];
  readonly fillStyle: unknown;
  readonly strokeStyle: unknown;
}

/**
 * A stand-in for CanvasRenderingContext2D that records every method call (and the styles set
 * when it was made); properties are plain fields, `measureText` measures 6 px a character.
 */
export function fakeContext(): { ctx: CanvasRenderingContext2D; calls: Call[] } {
  const calls: Call[] = [];
  const state: Record<string | symbol, unknown> = { fillStyle: '#000', strokeStyle: '#000' };
  const ctx = new Proxy(state, {
    get(target, key) {
      if (key in target) return target[key];
      return (...args: unknown[]) => {
        calls.push({
          name: String(key),
          args,
          fillStyle: target.fillStyle,
          strokeStyle: target.strokeStyle,
        });
        if (key === 'measureText') return { width: String(args[0]).length * 6 };
        return undefined;
      };
    },
    set(target, key, value) {
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}
