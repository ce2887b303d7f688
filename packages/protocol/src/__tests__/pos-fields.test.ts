import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { POS_MSGPACK_KEYS, POS_MSGPACK_OMITTED } from '../codec';
import {
  decodeMessage,
  encodeMessage,
  POS_FIELDS,
  type PosField,
  type PosMessage,
  posMessageSchema,
} from '../index';

/** A value for every field (a field added to the schema and not here fails the typecheck). */
const EVERY_FIELD: Required<PosMessage> & Record<PosField, unknown> = {
  playerId: 'racer-1',
  t: 1_724_312_355.5,
  x: -1234.5,
  y: 87.125,
  z: 2345.0625,
  v: 24.5,
  mapId: 1206,
  mount: 6,
  tick: 123_456,
  u: 0.0125,
  seq: 42,
  sig: 'x'.repeat(43),
};

describe('POS_FIELDS', () => {
  it("is the schema's shape, in its order, and every field has a sample here", () => {
    expect(POS_FIELDS).toEqual(Object.keys(posMessageSchema.shape));
    expect(Object.keys(EVERY_FIELD).sort()).toEqual([...POS_FIELDS].sort());
    expect(posMessageSchema.safeParse(EVERY_FIELD).success).toBe(true);
  });

  it('every field is a key of the compact MessagePack map or left out of it on purpose', () => {
    for (const field of POS_FIELDS) {
      const inMap = POS_MSGPACK_KEYS.includes(field);
      const omitted = POS_MSGPACK_OMITTED[field] !== undefined;
      expect(inMap !== omitted, field).toBe(true);
    }
    expect(POS_MSGPACK_KEYS).toEqual(POS_FIELDS.filter((field) => field !== 'sig'));
  });

  it('a message with every compact field travels compactly (float32) and exactly', () => {
    const { sig: _sig, ...message } = EVERY_FIELD;
    const packed = encodeMessage('pos', message, { codec: 'msgpack' });
    // The compact encoder wrote it: float32 coordinates, smaller than the generic encoding.
    expect(packed.byteLength).toBeLessThan(encodeMsgpack(message).byteLength);
    expect(decodeMessage('pos', packed)).toEqual({ ok: true, value: message });
    // With a field the compact map leaves out, the generic encoder takes the message whole.
    const generic = encodeMessage('pos', EVERY_FIELD, { codec: 'msgpack' });
    expect(decodeMessage('pos', generic)).toEqual({ ok: true, value: EVERY_FIELD });
  });
});
