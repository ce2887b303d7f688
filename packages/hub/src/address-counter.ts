/** Counts open connections per remote address and refuses one over the cap. */
export interface AddressCounter {
  /** Counts a new connection; false (and not counted) when its address is at the cap. */
  open(address: string | undefined): boolean;
  /** The connection counted by {@link AddressCounter.open} closed. */
  close(address: string | undefined): void;
}

/** An {@link AddressCounter}; `exempt` addresses are never capped (nor counted). */
export function createAddressCounter(max: number, exempt: readonly string[]): AddressCounter {
  const open = new Map<string, number>();
  const free = new Set(exempt);
  return {
    open(address) {
      if (address === undefined || free.has(address)) return true;
      const count = open.get(address) ?? 0;
      if (count >= max) return false;
      open.set(address, count + 1);
      return true;
    },
    close(address) {
      if (address === undefined || free.has(address)) return;
      const count = (open.get(address) ?? 1) - 1;
      if (count <= 0) open.delete(address);
      else open.set(address, count);
    },
  };
}
