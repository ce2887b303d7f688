import { POS_FIELDS, type PosMessage } from '@gw2race/protocol';
import { describe, expect, it } from 'vitest';
import {
  collectText,
  encodePositionsCsv,
  POSITIONS_CSV_COLUMNS,
  POSITIONS_CSV_OMITTED,
} from '../export-csv';
import { POS_FIELD_STORAGE, POSITION_COLUMNS } from '../position-line';
import { readReplay } from '../read-replay';
import { createReplayWriter } from '../replay-writer';
import { collect } from './helpers';

/** Every field, with values the default quantization keeps exactly. */
const EVERY_FIELD: Required<PosMessage> = {
  playerId: 'racer-1',
  t: 1724312355.5,
  x: -1234.5,
  y: 87.25,
  z: 2345.75,
  v: 24.5,
  mapId: 1206,
  mount: 6,
  tick: 123456,
  u: 0.013,
  seq: 42,
  sig: 'x'.repeat(43),
};

describe("the pos message's fields (protocol's POS_FIELDS)", () => {
  it('each has a place in a position line, and the columns are exactly those places', () => {
    expect(Object.keys(EVERY_FIELD).sort()).toEqual([...POS_FIELDS].sort());
    for (const field of POS_FIELDS) expect(POS_FIELD_STORAGE[field], field).toBeDefined();
    const columns = new Set<string>(Object.values(POS_FIELD_STORAGE));
    columns.delete('players');
    columns.delete('sig');
    columns.add('lag'); // the receive time, not a field of the message
    expect([...columns].sort()).toEqual([...POSITION_COLUMNS].sort());
  });

  it('a sample with every field is stored in a position line, not as an exact event, and read back', async () => {
    const parts: Uint8Array[] = [];
    const writer = createReplayWriter(
      { write: (part) => void parts.push(part) },
      { raceId: 'fields', createdAt: 1724312300 },
    );
    writer.append({ kind: 'pos', at: EVERY_FIELD.t + 0.05, message: EVERY_FIELD });
    await writer.close();
    expect(writer.stats.exactPositions).toBe(0);
    const [entry] = await collect(readReplay(parts));
    expect(entry).toEqual({ kind: 'pos', at: EVERY_FIELD.t + 0.05, message: EVERY_FIELD });
  });

  it('each is a CSV column or left out of the CSV on purpose', async () => {
    for (const field of POS_FIELDS) {
      const column = (POSITIONS_CSV_COLUMNS as readonly string[]).includes(field);
      expect(column !== (POSITIONS_CSV_OMITTED[field] !== undefined), field).toBe(true);
    }
    const csv = await collectText(
      encodePositionsCsv([{ kind: 'pos', at: 1724312355.55, message: EVERY_FIELD }], { t0: null }),
    );
    const [header, row] = csv.split('\r\n');
    const cells = row!.split(',');
    header!.split(',').forEach((name, i) => {
      if (name in EVERY_FIELD)
        expect(cells[i], name).toBe(String(EVERY_FIELD[name as keyof PosMessage]));
    });
  });
});
