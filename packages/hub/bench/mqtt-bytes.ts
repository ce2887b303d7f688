/** Hand-made MQTT 3.1.1 packets, for sending a hub what a hostile or bursty client would. */

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

function text(value: string): Buffer {
  const body = Buffer.from(value, 'utf8');
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
}

/** CONNECT with a clean session, 60 s keepalive, no credentials. */
export function connectPacket(clientId: string): Buffer {
  const body = Buffer.concat([text('MQTT'), Buffer.from([4, 0x02, 0, 60]), text(clientId)]);
  return Buffer.concat([Buffer.from([0x10, ...remainingLength(body.length)]), body]);
}

/** PUBLISH at QoS 0. */
export function publishPacket(topic: string, payload: Buffer | string): Buffer {
  const body = Buffer.concat([text(topic), Buffer.from(payload)]);
  return Buffer.concat([Buffer.from([0x30, ...remainingLength(body.length)]), body]);
}

/** The fixed header of a PUBLISH announcing `size` bytes (the body need never follow). */
export function publishHeader(size: number): Buffer {
  return Buffer.from([0x30, ...remainingLength(size)]);
}
