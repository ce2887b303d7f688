import type { FlagMessage } from '@gw2race/protocol';
import type { DirectorInput } from './director-input';
import { log, nameIn, publish, type Work } from './work';

type Refusal = Extract<DirectorInput, { type: 'refused' }>;

/** Refusals that raise a `replay` flag; every other reason raises a `signature` one. */
const REPLAY_REASONS = new Set(['replayed']);

/**
 * @internal A message the gate refused: counted for its player; the first of each reason for a
 * player raises a flag (published and recorded) and a log line, the rest are only counted, so a
 * flood of forgeries is one flag, not thousands. Messages in the name of an id that is not
 * invited (`unknown-sender`) are counted under `''` and raise no flag.
 */
export function onRefused(w: Work, refusal: Refusal): void {
  // A message in the name of someone not invited names nobody of the race: counted with those
  // naming nobody, never flagged, so a flood of made-up ids is neither a flag nor a key each.
  const stranger = refusal.reason === 'unknown-sender';
  const who = stranger ? '' : (refusal.playerId ?? '');
  const before = w.s.refused[who] ?? 0;
  w.s.refused = { ...w.s.refused, [who]: before + 1 };
  if (refusal.playerId === undefined || stranger) return;
  const kind = REPLAY_REASONS.has(refusal.reason) ? 'replay' : 'signature';
  const id = `refused-${refusal.reason}-${refusal.playerId}`;
  if (w.s.flags.some((flag) => flag.id === id) || w.s.closed) return;
  const flag: FlagMessage = {
    raceId: w.s.config.raceId,
    playerId: refusal.playerId,
    id,
    kind,
    severity: 'warning',
    t: w.at,
    message:
      `refused a message in ${refusal.playerId}'s name on ${refusal.topic} (${refusal.reason}): ${refusal.detail}`.slice(
        0,
        1000,
      ),
    data: { reason: refusal.reason, topic: refusal.topic },
  };
  w.s.flags = [...w.s.flags, flag];
  publish(w, 'flag', flag);
  log(w, `FLAG warning ${kind} ${nameIn(w, refusal.playerId)}: ${flag.message}`);
}
