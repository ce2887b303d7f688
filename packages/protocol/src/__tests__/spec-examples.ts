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
  ranking: [
    '{"t":1724312420.5,"entries":[]}',
    '{"raceId":"abc123","t":1724312420.5}',
    '{"raceId":"abc123","t":1724312420.5,"entries":[{"playerId":"p1","position":0,"status":"racing","lap":0,"checkpoints":0}]}',
    '{"raceId":"abc123","t":1724312420.5,"entries":[{"playerId":"p1","position":1,"status":"winning","lap":0,"checkpoints":0}]}',
    '{"raceId":"abc123","t":1724312420.5,"entries":[{"playerId":"p1","position":1,"status":"racing","checkpoints":0}]}',
  ],
  chat: [
    '{"from":"p1"}',
    '{"from":"p1","text":""}',
    '{"from":"p 1","text":"gl hf"}',
    `{"text":"${'x'.repeat(501)}"}`,
  ],
  ping: [
    '{"playerId":"p1","t1":1724312299.5}',
    '{"playerId":"p1","id":-1,"t1":1724312299.5}',
    '{"playerId":"p1","id":1.5,"t1":1724312299.5}',
    '{"id":17,"t1":1724312299.5}',
    '{"playerId":"p1","id":17,"t1":1724312299.5,"rttMs":-3}',
  ],
  pong: [
    '{"playerId":"p1","id":17,"t1":1724312299.5,"t2":1724312299.4}',
    '{"playerId":"p1","id":17,"t1":1724312299.5,"t2":"now","t3":1724312299.4}',
    '{"playerId":"p1","id":17,"t1":1724312299.5,"t2":1724312299.4,"t3":1724312299.4,"precisionMs":-1}',
  ],
  flag: [
    '{"playerId":"p3","kind":"teleport","t":1724312371.2,"message":"moved 412 m"}',
    '{"playerId":"p3","kind":"teleport","severity":"fatal","t":1724312371.2,"message":"moved 412 m"}',
    '{"playerId":"p3","kind":"","severity":"info","t":1724312371.2,"message":"m"}',
    '{"playerId":"p3","kind":"speed","severity":"info","t":1724312371.2,"message":"m","data":[1,2]}',
    '{"playerId":"p3","kind":"speed","severity":"info","t":1724312371.2,"message":"m","samples":[{"t":1,"x":0,"y":0}]}',
  ],
} as const;
