import { Aedes } from 'aedes';
import { describe, expect, it } from 'vitest';
import { Fifo, useFifoQueues } from '../fifo';

describe('Fifo', () => {
  it('gives items back in order, across compactions, and undefined when empty', () => {
    const queue = new Fifo<number>();
    expect(queue.shift()).toBeUndefined();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      queue.push(i);
      if (i % 3 === 0) out.push(queue.shift() as number);
    }
    expect(queue.length).toBe(5000 - out.length);
    while (queue.length > 0) out.push(queue.shift() as number);
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(queue.shift()).toBeUndefined();
    expect(queue.length).toBe(0);
  });
});

describe('useFifoQueues on a real aedes', () => {
  it('fits the emitter of the aedes we ship, and every message still arrives, in order', async () => {
    const aedes = await Aedes.createBroker({ concurrency: 4 });
    type Emitter = {
      _messageQueue: unknown;
      on(topic: string, listener: (packet: { payload: Buffer }, done: () => void) => void): void;
      emit(packet: { topic: string; payload: Buffer }): void;
    };
    const mq = (aedes as unknown as { mq: Emitter }).mq;
    expect(useFifoQueues(mq)).toBe(true);
    expect(mq._messageQueue).toBeInstanceOf(Fifo);
    const seen: number[] = [];
    // A slow listener keeps the emitter at its concurrency, so messages wait in the queue.
    mq.on('t/#', (packet, done) => {
      seen.push(Number(packet.payload.toString()));
      setImmediate(done);
    });
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 2000; i++) {
      mq.emit({ topic: 't/x', payload: Buffer.from(String(i)) });
    }
    for (let i = 0; i < 1000 && seen.length < 2000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
  });

  it('changes nothing on an emitter of another shape', () => {
    expect(useFifoQueues(undefined)).toBe(false);
    expect(useFifoQueues({ _messageQueue: [1], _messageCallbacks: [] })).toBe(false);
  });
});
