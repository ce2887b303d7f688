import { startHub } from '@gw2race/hub';
import { afterEach, describe, expect, it } from 'vitest';
import { closeClient, connectHub } from '../connect-hub';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('closeClient', () => {
  it('disconnects cleanly when the hub answers', async () => {
    const broker = await startHub({ port: 0 });
    cleanups.push(() => broker.close());
    const client = await connectHub(broker.url, { clientId: 'tidy' });
    void client.publish('race/r1/presence', 'bye', { qos: 1 });
    await closeClient(client, 5000);
    expect(client.connected).toBe(false);
    await expect.poll(() => broker.clients()).toBe(0);
  });

  it('returns when the hub goes away before acknowledging what is in flight', async () => {
    // The hub drops the connection instead of acknowledging this publish (too big for its
    // packet limit), as a host shutting its hub down at the end of a race does.
    const broker = await startHub({ port: 0, limits: { maxPacketBytes: 200 } });
    cleanups.push(() => broker.close());
    const client = await connectHub(broker.url, { clientId: 'stranded' });
    cleanups.push(() => void client.end(true));
    void client.publish('race/r1/gone', 'bye'.repeat(100), { qos: 1 });
    const closed = await Promise.race([
      closeClient(client, 500).then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 5000)),
    ]);
    // (mqtt.js's own end() waits for the acknowledgement forever here.)
    expect(closed).toBe('closed');
  });
});
