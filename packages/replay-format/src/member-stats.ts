import { kindMask } from './gzip-member';
import type { DecodedMember } from './member-decoder';
import type { ReplayHeader } from './replay-header';

/** What a member's `GR` field states of it, and its position samples. */
export interface MemberStats {
  kinds: number;
  records: number;
  from: number;
  to: number;
  positions: number;
}

/** Kinds, counts and time span of a decoded member, as its `GR` field states them. */
export function statsOf(decoded: DecodedMember, header: ReplayHeader): MemberStats {
  const stats: MemberStats = {
    kinds: 0,
    records: 0,
    from: Number.POSITIVE_INFINITY,
    to: Number.NEGATIVE_INFINITY,
    positions: 0,
  };
  const note = (at: number) => {
    if (at < stats.from) stats.from = at;
    if (at > stats.to) stats.to = at;
  };
  for (const { at, entry } of decoded.events) {
    stats.kinds |= kindMask(entry.kind === 'unknown' ? entry.recordedKind : entry.kind);
    stats.records++;
    if (entry.kind === 'pos') stats.positions++;
    note(at);
  }
  const { timeScale } = header.quantization;
  for (const chunk of decoded.chunks) {
    stats.kinds |= kindMask('pos');
    stats.records += chunk.n;
    stats.positions += chunk.n;
    for (let i = 0; i < chunk.n; i++) {
      note((header.origin + chunk.values[chunk.t + i]! + chunk.values[chunk.lag + i]!) / timeScale);
    }
  }
  return stats;
}
