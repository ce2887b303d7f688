/**
 * The options every command that runs races takes alike (`gw2race-host` and `gw2race-host
 * tournament`): the hub, its credentials, the viewer's server, the clock and the screen.
 */
export const HUB_SCREEN_OPTIONS = {
  broker: { type: 'string' },
  'viewer-broker': { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'password-file': { type: 'string' },
  ca: { type: 'string' },
  listen: { type: 'string' },
  port: { type: 'string' },
  'http-port': { type: 'string' },
  'no-http': { type: 'boolean' },
  'hub-connections': { type: 'string' },
  'max-connections-per-address': { type: 'string' },
  ntp: { type: 'string' },
  'no-ntp': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  plain: { type: 'boolean' },
} as const;
