import { createServer } from 'node:http';
import { AppError, listenAddressError, numberOption, parseCommandLine } from '@gw2race/app-shared';
import { readReplayFile } from '@gw2race/replay-format/node';
import { webAppDir } from '../web/static-dir';
import { attachWebApp, closeWebServer } from '../web/web-server';

const USAGE = `Usage: gw2race-host replay FILE [--http-port N] [--listen HOST]

Serves a recording (race_*.replay.jsonl.gz) in the race viewer: play, pause, seek, speeds,
ghosts, heatmap, sector analysis, exports. Open the printed address in a browser.

  --http-port N   port of the viewer (default 8080; 0 picks a free one)
  --listen HOST   interface (default 127.0.0.1)`;

/** `gw2race-host replay FILE`: the viewer in replay mode for one recording. */
export async function replayCommand(args: string[], version: string): Promise<number> {
  const command = parseCommandLine(
    args,
    {
      'http-port': { type: 'string' },
      listen: { type: 'string' },
    },
    USAGE,
  );
  if (!command) return 0;
  const { values, positionals } = command;
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new AppError('USAGE', 'give one recording file', { hint: USAGE });
  const header = await readReplayFile(file).header();
  if (!header.ok) {
    const cause = header.error.cause as { code?: string } | undefined;
    throw new AppError(
      'BAD_FILE',
      `cannot read the recording ${file}: ${cause?.code === 'ENOENT' ? 'no such file' : header.error.message}`,
    );
  }
  const staticDir = webAppDir();
  if (!staticDir) {
    throw new AppError('FAILED', 'the web viewer is not built', {
      hint: 'run: pnpm --filter @gw2race/web build',
    });
  }
  const listen = values.listen ?? '127.0.0.1';
  const port = numberOption(values['http-port'], 'http-port', 8080, {
    min: 0,
    max: 65535,
    integer: true,
  });
  const server = createServer();
  attachWebApp(server, {
    staticDir,
    info: () => ({
      mode: 'replay',
      raceId: header.value.raceId,
      name:
        typeof header.value.meta?.tournament === 'string'
          ? header.value.meta.tournament
          : undefined,
      track: header.value.track,
      mqttPath: undefined,
      recording: true,
      version,
    }),
    recordingPath: () => file,
    hostToken: undefined,
    onCommand: () => ({ ok: false, error: 'a replay has no race to control' }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new AppError('PORT_IN_USE', `HTTP port ${port} on ${listen} is already in use`, {
              hint: 'choose another with --http-port',
            })
          : (listenAddressError(error, listen) ?? error),
      ),
    );
    server.listen(port, listen, () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(
    `Replay of race ${header.value.raceId} at http://${listen === '0.0.0.0' ? '127.0.0.1' : listen}:${actual}/replay (Ctrl-C to stop)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await closeWebServer(server);
  return 0;
}
