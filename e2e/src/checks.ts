/** Small waits and probes the e2e attack, trust and hub-config tests share. */
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';

/** The CONNACK return code a CONNECT gets (0: accepted). */
export async function connackOf(url: string, options: mqtt.IClientOptions): Promise<number> {
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
  try {
    return await new Promise<number>((resolve) => {
      client.once('connect', () => resolve(0));
      client.once('error', (error) => resolve(Number((error as { code?: number }).code ?? -1)));
    });
  } finally {
    client.end(true);
  }
}

/** Waits until `check` holds (no fixed sleeps). */
export async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
