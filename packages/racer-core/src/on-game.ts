import { toCheckpointMessage } from '@gw2race/race-engine';
import type { GameSample } from './game-sample';
import { positionKeepAliveMs } from './schedule';
import { emit, nextSeq, publish, type Session } from './session';
import { clockBoundSeconds, stampNow, stampSample } from './stamp-sample';

/**
 * A game sample: remembered for the position stream, and, once a course and a start are known,
 * judged for crossings, each reported (through the outbox) with the clock bound and the
 * sample's stamping window in its uncertainty. The common case (no move, or no crossing)
 * allocates only the sample handed to the detector.
 */
export function onSample<S extends GameSample>(session: Session<S>, sample: S): void {
  const { view, game, race, estimator } = session;
  view.latest = sample;
  const p = sample.frame.avatar.position;
  // The game moves the avatar at ~25 Hz but ticks at ~60 Hz: only a changed position is a new sample.
  if (p.x === game.x && p.y === game.y && p.z === game.z) return;
  game.x = p.x;
  game.y = p.y;
  game.z = p.z;
  game.last = sample;
  // The first block read after the reader started may have been written any time before (a
  // loading screen, a paused game): it is sent only as a keep-alive stamped "now", never timed.
  if (sample.previousPollAt === null) {
    game.sentTick = sample.frame.tick;
    return;
  }
  const { detector } = race;
  if (!detector || race.t0 === null || view.ended) return;
  const { t, halfWindowMs } = stampSample(estimator, sample, game.stamp);
  const context = sample.frame.context;
  const crossings = detector.push({
    t,
    x: p.x,
    y: p.y,
    z: p.z,
    mapId: context?.mapId,
    mount: context?.mountIndex,
  });
  if (detector.state.startAt !== null) race.startedAt ??= detector.state.startAt;
  for (const crossing of crossings) {
    const message = toCheckpointMessage(session.options.playerId, crossing, {
      raceId: session.options.raceId,
      clockBound: clockBoundSeconds(estimator) + halfWindowMs / 1000,
      seq: nextSeq(session),
    });
    session.outbox.add(message, crossing.index);
    view.crossings = crossing.index + 1;
    view.unconfirmed = session.outbox.size;
    emit(session, { type: 'crossing', crossing, message });
  }
}

/** The telemetry reader's status; a bot's game stays `simulated` unless its file is gone. */
export function onGame(session: Session<GameSample>, status: 'live' | 'stale' | 'absent'): void {
  if (status === 'absent') session.view.game = 'absent';
  else if (!session.options.simulated) session.view.game = status;
}

/**
 * Sends the latest position if it is new, or again as a keep-alive when the last one is older
 * than {@link positionKeepAliveMs}; never while offline (a stale position is worse than none).
 */
export function sendPosition(session: Session<GameSample>, now: number): void {
  const { view, game, estimator } = session;
  const sample = game.last;
  if (!sample || view.ended || view.hub !== 'online') return;
  const fresh = sample.frame.tick !== game.sentTick;
  const keepAliveMs = positionKeepAliveMs(session.race.detector?.course.gapSeconds);
  if (!fresh && now - game.sentAt < keepAliveMs) return;
  game.sentTick = sample.frame.tick;
  game.sentAt = now;
  const p = sample.frame.avatar.position;
  // An unchanged position re-sent as a keep-alive is where the racer is now.
  const { t, u } = fresh
    ? stampSample(estimator, sample, game.stamp)
    : stampNow(estimator, game.stamp);
  const mapId = sample.frame.context?.mapId;
  const mount = sample.frame.context?.mountIndex;
  publish(
    session,
    'pos',
    'pos',
    {
      playerId: session.options.playerId,
      t,
      x: p.x,
      y: p.y,
      z: p.z,
      v: Math.round(sample.speed * 1000) / 1000,
      ...(mapId !== undefined ? { mapId } : {}),
      ...(mount !== undefined ? { mount } : {}),
      tick: sample.frame.tick,
      u: Math.round(u * 10000) / 10000,
    },
    session.codec,
  );
}
