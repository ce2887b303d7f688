import { z } from 'zod';
import { ProtocolError } from './errors';
import { trackSchema } from './messages/track';
import { err, ok, type Result } from './result';

/**
 * The HTTP API between `gw2race-host` (which serves the web viewer) and the viewer: one source
 * of truth for both sides. The host answers with these shapes; the viewer parses every answer
 * with them, and the host parses every request body with them.
 */
export const HTTP_API_PATHS = {
  /** `GET`: what the page shows (live race or recording), where its hub is: {@link HostInfo}. */
  info: '/api/info',
  /** `GET`: the organizer's clock now, for the viewer's race clock: {@link HostTime}. */
  time: '/api/time',
  /** `GET`: the recording file (gzip), 404 while there is none. */
  recording: '/api/recording',
  /** `POST` with `Authorization: Bearer <host token>`: an organizer {@link ControlRequest}. */
  control: '/api/control',
  /**
   * `GET`: the tournament's standings (`standingsSchema`, what `standings.json` holds) while
   * `gw2race-host tournament` runs; 404 for a race on its own.
   */
  standings: '/api/standings',
} as const;

/** A `ws://` or `wss://` URL (what a browser can speak MQTT over). */
function isWebSocketUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'ws:' || url.protocol === 'wss:';
  } catch {
    return false;
  }
}

/** A non-empty string, or absent; anything else reads as absent (an advisory field). */
const optionalText = z.string().min(1).optional().catch(undefined);

/**
 * `GET /api/info`. The mode decides the page; every other field is advisory: a field of the
 * wrong shape reads as absent (an older or newer host still gets a page), never as an error.
 */
export const hostInfoSchema = z.object({
  mode: z
    .enum(['live', 'replay'])
    .describe(
      '`live`: a race on this host’s hub; `replay`: a recording served by `gw2race-host replay`.',
    ),
  raceId: optionalText,
  name: optionalText.describe('Tournament or race name to show.'),
  track: trackSchema
    .nullable()
    .catch(null)
    .describe('The track the host judges on, when it has one.'),
  mqttPath: optionalText.describe(
    'Path of MQTT over WebSocket on this server (live mode, the host’s embedded hub).',
  ),
  mqttUrl: z
    .string()
    .refine(isWebSocketUrl, 'a ws:// or wss:// URL')
    .optional()
    .catch(undefined)
    .describe(
      'The MQTT-over-WebSocket URL of an external hub the race runs on (live mode with `--broker`), when browsers can reach one; absent on the embedded hub (use `mqttPath`).',
    ),
  recording: z
    .boolean()
    .catch(false)
    .describe('`GET /api/recording` serves the recording (replay mode; live once recording).'),
  version: z.string().catch('').describe('Version of gw2race-host.'),
  replayCommand: optionalText.describe(
    'Live mode: the command that opens this race’s recording on the host’s machine (`gw2race-host replay FILE`), for the viewer to show once the host has closed the race.',
  ),
  tournament: z
    .boolean()
    .optional()
    .catch(undefined)
    .describe(
      'True while `gw2race-host tournament` runs: `GET /api/standings` and the viewer’s `/standings` show it.',
    ),
});

/** What the viewer learns from `GET /api/info`. */
export type HostInfo = z.output<typeof hostInfoSchema>;

/** `GET /api/time`: one reading of the organizer's clock, for a round-trip clock sample. */
export const hostTimeSchema = z.object({
  serverClock: z
    .number()
    .positive()
    .describe(
      'Organizer clock (epoch s) when the host answered; the viewer takes the request’s round trip around it as one clock-sync sample.',
    ),
});

/** The answer of `GET /api/time`. */
export type HostTime = z.output<typeof hostTimeSchema>;

/** A text of 1 to `max` characters, or absent: a wrong one reads as absent, as the host always did. */
const optionalCommandText = (max: number) => z.string().min(1).max(max).optional().catch(undefined);

/** `POST /api/control`: an organizer command, by its `action`. */
export const controlRequestSchema = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.literal('start'),
      delay: z
        .number({ error: 'delay must be a number of seconds between 0 and 86400' })
        .min(0, { error: 'delay must be a number of seconds between 0 and 86400' })
        .max(86_400, { error: 'delay must be a number of seconds between 0 and 86400' })
        .optional()
        .describe('Seconds from START to the start instant t0 (default: the host’s).'),
    }),
    z.object({
      action: z.literal('message'),
      text: z
        .string({ error: 'text must be 1 to 500 characters' })
        .min(1, { error: 'text must be 1 to 500 characters' })
        .max(500, { error: 'text must be 1 to 500 characters' }),
      to: optionalCommandText(64).describe('Player id to send it to (default: everyone).'),
    }),
    z.object({ action: z.literal('pause') }),
    z.object({ action: z.literal('resume') }),
    z.object({ action: z.literal('end'), reason: optionalCommandText(500) }),
    z.object({ action: z.literal('abort'), reason: optionalCommandText(500) }),
    z.object({
      action: z.literal('ruling'),
      playerId: z
        .string({ error: 'playerId is required' })
        .min(1, { error: 'playerId is required' })
        .max(64, { error: 'playerId is required' }),
      ruling: z.enum(['dsq', 'dnf', 'reinstate'], {
        error: 'ruling must be dsq, dnf or reinstate',
      }),
      reason: optionalCommandText(500),
    }),
  ],
  { error: 'action must be start, message, pause, resume, end, abort or ruling' },
);

/** `T` with `undefined` taken out of every property (optional ones stay optional). */
type Defined<T> = T extends object ? { [K in keyof T]: Exclude<T[K], undefined> } : T;

/** An organizer command, as `POST /api/control` takes it (absent optional fields left out). */
export type ControlRequest = Defined<z.output<typeof controlRequestSchema>>;

/** `POST /api/control` done (HTTP 200). */
export const controlDoneSchema = z.object({ ok: z.literal(true) });

/** Any refusal of the API (HTTP 4xx/5xx): a sentence for people. */
export const apiErrorSchema = z.object({
  error: z.string().describe('What was wrong, for people.'),
});

/** The body of an API refusal. */
export type ApiError = z.output<typeof apiErrorSchema>;

/** The HTTP API's bodies by name, as `schemas/{name}.schema.json` ships them. */
export const HTTP_API_SCHEMAS = {
  'http-info': hostInfoSchema,
  'http-time': hostTimeSchema,
  'http-control': controlRequestSchema,
  'http-control-done': controlDoneSchema,
  'http-error': apiErrorSchema,
} as const;

/** Names of the HTTP API's JSON Schema documents (see {@link HTTP_API_SCHEMAS}). */
export type HttpApiSchemaName = keyof typeof HTTP_API_SCHEMAS;

/** The first issue of a failed parse, as one sentence. */
function firstIssue(what: string, error: z.ZodError): ProtocolError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  return new ProtocolError(
    'INVALID_MESSAGE',
    `invalid ${what}${where}: ${issue?.message ?? 'does not match the schema'}`,
    { issues: error.issues, cause: error },
  );
}

/** Drops keys whose value is `undefined` (zod's optional outputs them; the types leave them out). */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Parses an untrusted `GET /api/info` answer (the viewer's side). Fails only when it is not an
 * object with a known `mode`; advisory fields of the wrong shape read as absent.
 */
export function parseHostInfo(value: unknown): Result<HostInfo, ProtocolError> {
  const parsed = hostInfoSchema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(firstIssue('host info', parsed.error));
}

/** Parses an untrusted `GET /api/time` answer. */
export function parseHostTime(value: unknown): Result<HostTime, ProtocolError> {
  const parsed = hostTimeSchema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(firstIssue('host time', parsed.error));
}

/**
 * Parses an untrusted `POST /api/control` body (the host's side). The error's message is the
 * sentence the host answers with (HTTP 400): `text must be 1 to 500 characters`, …
 */
export function parseControlRequest(value: unknown): Result<ControlRequest, ProtocolError> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return err(new ProtocolError('NOT_AN_OBJECT', 'the body must be a JSON object'));
  const parsed = controlRequestSchema.safeParse(value);
  if (parsed.success) return ok(withoutUndefined(parsed.data) as ControlRequest);
  const issue = parsed.error.issues[0];
  return err(
    new ProtocolError('INVALID_MESSAGE', issue?.message ?? 'not a command', {
      issues: parsed.error.issues,
      cause: parsed.error,
    }),
  );
}

/** The host's reason in a refusal body, if it gives one (`{ error }`). */
export function parseApiError(value: unknown): string | undefined {
  const parsed = apiErrorSchema.safeParse(value);
  return parsed.success ? parsed.data.error : undefined;
}

/**
 * The JSON Schema (draft 2020-12) of one HTTP API body, generated from its zod schema (the
 * files `schemas/http-*.schema.json` are this, written out).
 */
export function httpApiJsonSchema(
  name: HttpApiSchemaName,
  baseUrl: string,
): Record<string, unknown> {
  const generated = z.toJSONSchema(HTTP_API_SCHEMAS[name], {
    io: 'input',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: `${baseUrl}${name}.schema.json`, title: `gw2race ${name}`, ...rest };
}
