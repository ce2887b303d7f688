import { HubClientError } from './errors';

/** URL schemes a hub can be reached with. */
export const HUB_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'] as const;

/**
 * Checks a hub URL and explains a bad one: throws a {@link HubClientError} `INVALID_URL` or
 * `UNSUPPORTED_SCHEME`.
 *
 * @example
 * parseHubUrl('mqtts://hub.example.com:8883').port; // '8883'
 */
export function parseHubUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new HubClientError('INVALID_URL', `"${text}" is not a hub URL`, { cause });
  }
  if (!(HUB_SCHEMES as readonly string[]).includes(url.protocol)) {
    throw new HubClientError(
      'UNSUPPORTED_SCHEME',
      `hub URL "${text}" uses ${url.protocol.replace(':', '')}://`,
    );
  }
  return url;
}

/** The URL without its password, for messages. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href.replace(/\/$/, '');
}
