import { TOPIC_SETTINGS } from '@gw2race/protocol';
import type { GameSample } from './game-sample';
import { onGame, onSample } from './on-game';
import { onHub, onMessage } from './on-host';
import { begin, nextWakeAt, tick } from './on-tick';
import type { PublishEffect, RacerEffect, RacerInput } from './racer-effect';
import type { RacerCoreOptions, RacerView } from './racer-view';
import { createSession, nextSeq, type Session, sendPresence } from './session';
import { racerSubscriptions } from './subscriptions';

/**
 * A racer's client rules without any I/O: feed it what happens ({@link RacerInput}: hub status,
 * messages, game samples, ticks) and it answers with what to do ({@link RacerEffect}: publish,
 * note, start a bot, leave). It executes nothing; time comes from the injected clock.
 *
 * The core holds its state (the clock estimator, the crossing detector and the outbox are
 * stateful objects) and shows it as {@link RacerCore.view}; one core serves one race id and
 * player, so following a tournament to its next race is a new core.
 */
export interface RacerCore<S extends GameSample = GameSample> {
  /** What the client knows now (read it, do not keep it: it changes in place). */
  readonly view: RacerView<S>;
  /** Takes one input; returns the effects, in order (a shared empty array when none). */
  handle(input: RacerInput<S>): readonly RacerEffect[];
  /**
   * The monotonic instant (ms, the core's clock) at which a `tick` next has something to do;
   * `Infinity` when nothing is due (before `begin`, only a request for a state that has not come).
   * Arm one timer for it after every `tick`, and again after any input that may move it sooner
   * (`hub`, `begin`).
   */
  nextWakeAt(): number;
  /** The topics to subscribe to, with their QoS (from the protocol's racer role). */
  subscriptions(): Record<string, { qos: 0 | 1 }>;
  /**
   * The last will to connect with (and to connect again with: ask for a new one each time): the
   * presence `disconnected` the hub publishes when this client drops. In a closed race it takes
   * the next `seq` and says `sign: true`, like every publish.
   */
  lastWill(): PublishEffect;
}

const NO_EFFECTS: readonly RacerEffect[] = Object.freeze([]);

/**
 * Creates a {@link RacerCore}. Throws a `RacerCoreError` (`INVALID_OPTIONS`) for a position
 * rate outside 1 to 10 Hz.
 *
 * @example
 * const core = createRacerCore({ raceId: 'abc123', playerId: 'p1', name: 'P1', mode: 'racer',
 *   software: 'my-client/1.0' });
 * const run = (effects) => { for (const e of effects) if (e.type === 'publish') send(e); };
 * run(core.handle({ type: 'hub', status: 'online' }));
 * client.on('message', (topic, payload) => run(core.handle({ type: 'message', topic, payload })));
 * reader.on('frame', (sample) => run(core.handle({ type: 'sample', sample })));
 */
export function createRacerCore<S extends GameSample = GameSample>(
  options: RacerCoreOptions,
): RacerCore<S> {
  const session = createSession<S>(options);
  return {
    view: session.view,
    handle(input) {
      session.out = undefined;
      dispatch(session, input);
      const effects = session.out ?? NO_EFFECTS;
      session.out = undefined;
      return effects;
    },
    nextWakeAt: () => nextWakeAt(session),
    subscriptions: () => racerSubscriptions(options.raceId, options.playerId),
    lastWill: () => willOf(session),
  };
}

function willOf(session: Session<GameSample>): PublishEffect {
  const { options } = session;
  const settings = TOPIC_SETTINGS.presence;
  return {
    type: 'publish',
    kind: 'presence',
    channel: 'presence',
    topic: session.topics.presence,
    message: {
      playerId: options.playerId,
      event: 'disconnected',
      mode: options.mode,
      ...(session.numbering ? { seq: nextSeq(session) } : {}),
    },
    qos: settings.qos,
    queueOffline: settings.queueOffline,
    codec: 'json',
    sign: session.numbering !== undefined,
  };
}

function dispatch<S extends GameSample>(session: Session<S>, input: RacerInput<S>): void {
  switch (input.type) {
    case 'hub':
      onHub(session, input.status);
      return;
    case 'message':
      onMessage(session, input.topic, input.payload, input.at);
      return;
    case 'begin':
      begin(session);
      return;
    case 'sample':
      onSample(session, input.sample);
      return;
    case 'game':
      onGame(session, input.status);
      return;
    case 'tick':
      tick(session);
      return;
    case 'leave':
      sendPresence(session, 'leave');
      return;
  }
}
