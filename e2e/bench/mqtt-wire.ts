/**
 * Hand-made MQTT 3.1.1 packets: the few a simulated racer sends, without a client library, for
 * the benches that open hundreds of connections (e2e's hub bench, host-cli's race bench).
 */

function remainingLength(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return bytes;
}

function text(value: string | Buffer): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
}

function packet(header: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([header, ...remainingLength(body.length)]), body]);
}

/** CONNECT: clean session, 60 s keepalive, and a QoS 1 last will when given (as the racer client sets). */
export function connectPacket(clientId: string, will?: { topic: string; payload: Buffer }): Buffer {
  const flags = will ? 0x02 | 0x04 | 0x08 : 0x02; // clean session (+ will, will QoS 1)
  const body = Buffer.concat([
    text('MQTT'),
    Buffer.from([4, flags, 0, 60]),
    text(clientId),
    ...(will ? [text(will.topic), text(will.payload)] : []),
  ]);
  return packet(0x10, body);
}

/** SUBSCRIBE to `filters`, all granted at QoS 0 (nothing to acknowledge). */
export function subscribePacket(packetId: number, filters: readonly string[]): Buffer {
  const body = Buffer.concat([
    Buffer.from([packetId >> 8, packetId & 0xff]),
    ...filters.map((f) => Buffer.concat([text(f), Buffer.from([0])])),
  ]);
  return packet(0x82, body);
}

/** PUBLISH at QoS 0, or at QoS 1 with `packetId` (the hub's PUBACK is read and dropped). */
export function publishPacket(
  topic: string,
  payload: Uint8Array | string,
  packetId?: number,
): Buffer {
  const id = packetId === undefined ? [] : [Buffer.from([packetId >> 8, packetId & 0xff])];
  const body = Buffer.concat([text(topic), ...id, Buffer.from(payload)]);
  return packet(packetId === undefined ? 0x30 : 0x32, body);
}

/** PINGREQ, to stay within the keepalive. */
export const PINGREQ = Buffer.from([0xc0, 0]);
