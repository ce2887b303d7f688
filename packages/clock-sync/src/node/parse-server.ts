/** An SNTP server: a name or address and a port. */
export interface SntpServerAddress {
  readonly host: string;
  /** UDP port. Default 123. */
  readonly port?: number;
}

/** Splits `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
export function parseServer(
  server: string | SntpServerAddress,
  defaultPort = 123,
): {
  host: string;
  port: number;
} {
  if (typeof server !== 'string') return { host: server.host, port: server.port ?? defaultPort };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  if (bracketed) {
    return { host: bracketed[1] ?? '', port: bracketed[2] ? Number(bracketed[2]) : defaultPort };
  }
  const colons = server.split(':').length - 1;
  if (colons === 1) {
    const [host = '', port = ''] = server.split(':');
    return { host, port: /^\d+$/.test(port) ? Number(port) : Number.NaN };
  }
  return { host: server, port: defaultPort };
}
