import { err, ok, type Result } from '@gw2race/protocol';
import { MEMBER_FLAGS } from './gzip-member';
import { inflatePlainGzip } from './inflate-plain-gzip';
import { decodeMember } from './member-decoder';
import { type Recovery, startsFresh } from './recovery';
import { ReplayError } from './replay-error';
import { parseReplayHeader } from './replay-header';

const textEncoder = new TextEncoder();

/**
 * Takes the header line at the start of a plain gzip recording's text as a header member of
 * ours; returns the text after it.
 */
function recoverForeignHeader(
  recovery: Recovery,
  text: Uint8Array,
  foreignAt: number,
): Result<Uint8Array, ReplayError> {
  const end = text.indexOf(0x0a);
  const decoded = decodeMember(text.subarray(0, end + 1), 0, new Map(), undefined);
  const parsed = parseReplayHeader(decoded.headerLine);
  if (foreignAt !== 0 || end < 0 || !parsed.ok) {
    return err(
      parsed.ok || end < 0
        ? new ReplayError('NOT_A_REPLAY', 'no gw2race-replay header found')
        : parsed.error,
    );
  }
  recovery.takeHeader(parsed.value);
  recovery.keepText(text.subarray(0, end + 1), {
    flags: MEMBER_FLAGS.header,
    kinds: 0,
    records: 0,
    from: Number.NaN,
    to: Number.NaN,
  });
  return ok(text.subarray(end + 1));
}

/** The data lines of `text`, without an index line (a fresh one is written at the end). */
function dataLines(text: Uint8Array): Uint8Array {
  const lines = new TextDecoder().decode(text).split('\n');
  return textEncoder.encode(
    lines
      .filter((line) => line.length > 0 && !line.startsWith('{"type":"index"'))
      .map((line) => `${line}\n`)
      .join(''),
  );
}

/**
 * Gzip data without member lengths at the end (from `foreignAt`): keeps its complete lines as
 * members of ours (the header line as the header member when nothing came before). Returns the
 * error that ends the recovery (no header), if any.
 */
export function recoverForeignTail(
  recovery: Recovery,
  bytes: Uint8Array,
  foreignAt: number,
): ReplayError | undefined {
  const inflated = inflatePlainGzip(bytes, foreignAt);
  for (const issue of inflated.issues) recovery.issues.push(issue);
  if (inflated.error) recovery.issues.push(inflated.error);
  else recovery.accounted += bytes.length - foreignAt;
  let text = inflated.text.subarray(0, inflated.text.lastIndexOf(0x0a) + 1);
  if (!recovery.header) {
    const rest = recoverForeignHeader(recovery, text, foreignAt);
    if (!rest.ok) return rest.error;
    text = rest.value;
  }
  const header = recovery.header;
  const dataText = dataLines(text);
  if (header && dataText.length > 0) {
    const fresh = startsFresh(dataText, foreignAt, header);
    const stats = recovery.absorb(
      decodeMember(dataText, foreignAt, recovery.states, header),
      header,
    );
    recovery.keepText(dataText, {
      flags: fresh ? MEMBER_FLAGS.keyframe : 0,
      kinds: stats.kinds,
      records: stats.records,
      from: stats.records > 0 ? stats.from : Number.NaN,
      to: stats.records > 0 ? stats.to : Number.NaN,
    });
  }
  return undefined;
}
