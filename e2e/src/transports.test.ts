import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import {
  exitCodes,
  makeTestCa,
  needs,
  raceOptions,
  startHost,
  startRacer,
  stopAll,
  viewerPort,
} from './harness';
import { raceFiles, readResults } from './results';

afterAll(stopAll);

// Debian's Mosquitto is built without websockets, so ws:// and wss:// are tested against the
// host's own hub: MQTT over WebSocket on the viewer's /mqtt, and the same behind TLS (a plain
// TLS terminator with a certificate from a test CA, as a reverse proxy would be).
describe.skipIf(!needs('openssl'))('racers over WebSocket', () => {
  it('races one racer over ws:// and one over wss:// with a private CA (--ca)', async () => {
    const { host, out } = await startHost([...raceOptions('e2e-ws', { autoStart: 2 })]);
    const port = await viewerPort(host);
    const ca = makeTestCa();
    const terminator = createServer(
      { key: readFileSync(ca.keyFile), cert: readFileSync(ca.certFile) },
      (secure) => {
        const plain = connect(port, '127.0.0.1');
        secure.pipe(plain).pipe(secure);
        secure.on('error', () => plain.destroy());
        plain.on('error', () => secure.destroy());
      },
    );
    await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', resolve));
    const tlsPort = (terminator.address() as { port: number }).port;

    const racers = [
      startRacer('e2e-ws', `ws://127.0.0.1:${port}/mqtt`, 'Wes'),
      startRacer('e2e-ws', `wss://127.0.0.1:${tlsPort}/mqtt`, 'Tess', ['--ca', ca.caFile]),
    ];
    expect(await exitCodes([host, ...racers])).toEqual([0, 0, 0]);
    await new Promise<void>((resolve) => terminator.close(() => resolve()));
    const results = readResults(raceFiles(out).resultsJson);
    expect(Object.fromEntries(results.ranking.map((e) => [e.playerId, e.status]))).toEqual({
      wes: 'finished',
      tess: 'finished',
    });
  });
});
