import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { HubClientError } from './errors';

/** A certificate's SHA-256 fingerprint (of its DER) as 64 lowercase hexadecimal digits. */
export function certificateSha256(pem: string | Buffer): string {
  return new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
}

/**
 * The hub's own certificate (PEM), fetched over TLS without trusting any authority and checked
 * against the fingerprint an invitation carries. Nothing is sent on this connection: the MQTT
 * connection then trusts exactly this certificate (as its only `ca`), so a certificate swapped
 * in between fails that connection's verification. A mismatch is a `TLS_FAILED`
 * {@link HubClientError} that says so in one line.
 */
export function fetchPinnedCertificate(
  host: string,
  port: number,
  sha256: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port,
      rejectUnauthorized: false,
      ...(isIP(host) === 0 ? { servername: host } : {}),
    });
    const fail = (error: HubClientError) => {
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new HubClientError(
            'TIMEOUT',
            `no TLS answer from ${host}:${port} after ${Math.round(timeoutMs / 1000)} s`,
          ),
        ),
      timeoutMs,
    );
    socket.once('error', (cause) => {
      clearTimeout(timer);
      fail(
        new HubClientError(
          'CONNECTION_FAILED',
          `could not reach the hub at ${host}:${port}: ${cause.message}`,
          { cause },
        ),
      );
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const raw = socket.getPeerCertificate().raw;
      socket.destroy();
      if (!raw)
        return reject(
          new HubClientError('TLS_FAILED', `the hub at ${host}:${port} sent no TLS certificate`),
        );
      const pem = `-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
      const actual = certificateSha256(pem);
      if (actual !== sha256.toLowerCase())
        return reject(
          new HubClientError(
            'TLS_FAILED',
            `the hub at ${host}:${port} is not the one in your invitation: its TLS certificate has SHA-256 ${actual.slice(0, 16)}…, the invitation says ${sha256.slice(0, 16).toLowerCase()}…`,
          ),
        );
      resolve(pem);
    });
  });
}
