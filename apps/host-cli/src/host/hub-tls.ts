import { execFile } from 'node:child_process';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '@gw2race/app-shared';
import { certificateSha256 } from '@gw2race/hub-client';

/** The embedded hub's TLS certificate and key (PEM), and the fingerprint invitations carry. */
export interface HubTls {
  readonly cert: string;
  readonly key: string;
  readonly sha256: string;
  /** Where the certificate is, for the organizer's lines. */
  readonly certPath: string;
}

/** The TLS options as given on the command line. */
export interface TlsFlags {
  tls?: boolean | undefined;
  'tls-cert'?: string | undefined;
  'tls-key'?: string | undefined;
}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new AppError('BAD_FILE', `cannot read the TLS ${what} ${path}`, { cause });
  }
}

/**
 * Makes a self-signed certificate (P-256, 10 years) and its key with `openssl`, the key readable
 * by its owner only: no new dependency for what one command does; `openssl` is on every Linux
 * and macOS, and Git for Windows ships it.
 */
async function makeSelfSigned(certPath: string, keyPath: string, raceId: string): Promise<void> {
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  args.push('-nodes', '-keyout', keyPath, '-out', certPath, '-days', '3650');
  args.push('-subj', `/CN=gw2race hub ${raceId}`);
  try {
    await promisify(execFile)('openssl', args, { env: { ...process.env, OPENSSL_CONF: '' } });
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AppError(
      'USAGE',
      missing
        ? '--tls makes its certificate with openssl, which is not installed'
        : `openssl could not make the hub's certificate: ${(cause as Error).message.split('\n')[0]}`,
      { hint: 'install openssl, or give your own with --tls-cert FILE --tls-key FILE', cause },
    );
  }
}

/**
 * The embedded hub's TLS, if asked for: `--tls-cert`/`--tls-key`, or (`--tls`) a self-signed
 * certificate made on first use beside the recording (`{out}/race_{raceId}.tls-cert.pem` and
 * `.tls-key.pem`, mode 0600) and reused when the host restarts, so the codes stay valid.
 */
export async function loadHubTls(
  flags: TlsFlags,
  outDir: string,
  raceId: string,
): Promise<HubTls | undefined> {
  const certFile = flags['tls-cert'];
  const keyFile = flags['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new AppError('USAGE', '--tls-cert and --tls-key go together');
  if (certFile !== undefined && keyFile !== undefined) {
    const cert = await readPem(certFile, 'certificate');
    return {
      cert,
      key: await readPem(keyFile, 'key'),
      sha256: fingerprint(cert, certFile),
      certPath: certFile,
    };
  }
  if (!flags.tls) return undefined;
  const certPath = join(outDir, `race_${raceId}.tls-cert.pem`);
  const keyPath = join(outDir, `race_${raceId}.tls-key.pem`);
  const existing = await readFile(certPath, 'utf8').catch(() => undefined);
  if (existing === undefined) {
    await makeSelfSigned(certPath, keyPath, raceId);
    await chmod(keyPath, 0o600);
  }
  const cert = await readPem(certPath, 'certificate');
  return {
    cert,
    key: await readPem(keyPath, 'key'),
    sha256: fingerprint(cert, certPath),
    certPath,
  };
}

function fingerprint(cert: string, path: string): string {
  try {
    return certificateSha256(cert);
  } catch (cause) {
    throw new AppError('BAD_FILE', `${path} is not a PEM certificate`, { cause });
  }
}
