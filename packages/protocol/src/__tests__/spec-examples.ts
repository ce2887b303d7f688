/**
 * The spec's example messages (docs/system-design.md, "Message Schema (Minimal JSON)"), written
 * as the spec writes them, with its `...` placeholders filled by numbers.
 */
export const SPEC_EXAMPLES = {
  state: [
    `{
      "raceId": "abc123",
      "trackId": "desert_beetle",
      "checkpoints": [{"id":1,"x":12.5,"y":3.0,"z":-40.25,"r":8.0}, {"id":2,"x":80,"y":4,"z":-12,"r":8.0}],
      "t0": 1724312345.123,
      "serverClock": 1724312300.000,
      "participants": [{"playerId":"p1","name":"Guillermo"}, {"playerId":"p2","name":"Ana"}]
    }`,
  ],
  control: [
    '{"cmd":"SYNC_T0","serverClock":1724312300.000}',
    '{"cmd":"START","t0":1724312345.123}',
    '{"cmd":"PAUSE"}',
    '{"cmd":"ABORT","reason":"manual"}',
  ],
  presence: [
    '{"playerId":"p1","event":"join","clientClock":1724312299.500,"ver":"1.2.0"}',
    '{"playerId":"p1","event":"leave"}',
    '{"playerId":"p1","status":"ready"}',
    '{"playerId":"X","status":"disconnected"}',
  ],
  checkpoint: [
    `{
      "raceId":"abc123",
      "playerId":"p1",
      "cp": 5,
      "ts": 1724312355.842,
      "pos": {"x":101.5,"y":20.25,"z":-33.0},
      "speed": 21.3
    }`,
  ],
  pos: ['{"playerId":"p1","t": 10.432, "x":101.5,"y":20.25,"z":-33.0, "v":21.3}'],
} as const;

/** Broken variants: each must be refused by the zod schema and by the JSON Schema. */
export const BROKEN_EXAMPLES = {
  state: [
    '{"trackId":"desert_beetle","checkpoints":[]}',
    '{"raceId":"abc/123","trackId":"t","checkpoints":[]}',
    '{"raceId":"abc123","trackId":"t","checkpoints":[{"id":1,"x":0,"y":0,"z":0,"r":-1}]}',
  ],
  control: [
    '{"cmd":"START"}',
    '{"cmd":"LAUNCH","t0":1}',
    '{"cmd":"ABORT"}',
    '{"t0":1724312345.123}',
  ],
  presence: ['{"playerId":"p1"}', '{"playerId":"p1","event":"dance"}', '{"status":"ready"}'],
  checkpoint: [
    '{"playerId":"p1","cp":-1,"ts":1724312355.842}',
    '{"playerId":"p1","cp":5}',
    '{"playerId":"p1","cp":1.5,"ts":1}',
  ],
  pos: [
    '{"playerId":"p1","t":10.432,"x":"1","y":2,"z":3}',
    '{"playerId":"p1","x":1,"y":2,"z":3}',
    '{"playerId":"p#1","t":1,"x":1,"y":2,"z":3}',
    '{"playerId":"p1","t":-5,"x":1,"y":2,"z":3}',
  ],
} as const;
