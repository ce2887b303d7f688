import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '@gw2race/hub';
import { afterEach, describe, expect, it } from 'vitest';
import { connectHub } from '../connect-hub';
import { isHubClientError } from '../errors';
import { certificateSha256 } from '../pinned-certificate';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for `CN=gw2race-hub` (no name the test connects by). */
function selfSigned(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gw2race-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=gw2race-hub',
      ],
      { stdio: 'pipe' },
    );
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!haveOpenssl())('a hub with a self-made certificate, pinned by its SHA-256', () => {
  it('relays over mqtts to a client that pins it; a wrong pin and no pin are refused in one line', async () => {
    const tls = selfSigned();
    const hub = await startHub({ port: 0, tls });
    cleanups.push(() => hub.close());
    expect(hub.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const sha256 = certificateSha256(tls.cert);

    const client = await connectHub(hub.url, { clientId: 'pinned', tlsSha256: sha256 });
    cleanups.push(() => void client.end(true));
    await client.subscribeAsync('race/r1/state', { qos: 1 });
    const received = new Promise<string>((resolve) =>
      client.on('message', (_t, payload) => resolve(payload.toString())),
    );
    await client.publishAsync('race/r1/state', 'over tls', { qos: 1 });
    expect(await received).toBe('over tls');

    const wrong = await connectHub(hub.url, { clientId: 'wrong', tlsSha256: '00'.repeat(32) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isHubClientError(wrong) && wrong.code).toBe('TLS_FAILED');
    expect((wrong as Error).message).toBe(
      `the hub at 127.0.0.1:${hub.port} is not the one in your invitation: its TLS certificate has SHA-256 ${sha256.slice(0, 16)}…, the invitation says 0000000000000000…`,
    );

    const unpinned = await connectHub(hub.url, { clientId: 'unpinned', timeoutMs: 5000 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isHubClientError(unpinned) && unpinned.code).toBe('TLS_FAILED');
  });
});
