import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeInvitation, encodeInvitation } from '@gw2race/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_CLI, needs, RACER_CLI, raceOptions, start, stopAll, tempDir } from './harness';
import { raceFiles, readResults } from './results';

afterAll(stopAll);

const RACE = 'e2e-tls';

describe.skipIf(!needs('openssl'))('the embedded hub over TLS (--tls)', () => {
  it('races an invited racer over mqtts with a pinned self-made certificate; a wrong pin is refused in one line', async () => {
    const out = tempDir();
    const host = start('host', HOST_CLI, [
      '--yes',
      '--no-ntp',
      '--plain',
      '--port',
      '0',
      '--no-http',
      '--out',
      out,
      ...raceOptions(RACE, { autoStart: 1 }),
      '--players',
      'Ann',
      '--tls',
      '--exit-after-race',
    ]);
    await host.waitFor(/race \S+ is closed: .* on mqtts:\/\/127\.0\.0\.1:\d+/);
    expect(statSync(join(out, `race_${RACE}.tls-key.pem`)).mode & 0o777).toBe(0o600);
    const [ann] = JSON.parse(readFileSync(join(out, `race_${RACE}.invitations.json`), 'utf8')) as {
      code: string;
    }[];
    const decoded = decodeInvitation((ann as { code: string }).code);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.value.tlsSha256).toMatch(/^[0-9a-f]{64}$/);

    const forged = encodeInvitation({ ...decoded.value, tlsSha256: 'ab'.repeat(32) });
    const impostor = start('impostor', RACER_CLI, [
      '--invite',
      forged,
      '--simulate',
      '--no-ntp',
      '--plain',
    ]);
    expect(await impostor.exited).toBe(3);
    expect(impostor.output()).toContain(
      'is not the one in your invitation: its TLS certificate has SHA-256',
    );

    const racer = start('racer ann', RACER_CLI, [
      '--invite',
      (ann as { code: string }).code,
      '--simulate',
      '--no-ntp',
      '--plain',
    ]);
    expect(await racer.exited).toBe(0);
    expect(await host.exited).toBe(0);
    const results = readResults(raceFiles(out).resultsJson);
    expect(results.ranking.map((e) => [e.playerId, e.status])).toEqual([['ann', 'finished']]);
  });
});
