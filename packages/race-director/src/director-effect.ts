import type { AnyMessage, ReceivedMessage } from '@gw2race/protocol';
import type { CommandResult } from './director-input';

/** Something a message the director authors needs from the hub: where, how, and the bytes. */
export type PublishEffect = {
  readonly type: 'publish';
  readonly topic: string;
  /** Encoded `message` (JSON). */
  readonly payload: Uint8Array;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
} & AnyMessage;

/**
 * What the director wants done. Data only: the caller carries them out, in order.
 * - `publish`: send on the hub.
 * - `record`: append one line to the recording (already placed on its time grid).
 * - `flush`: write out what the recording has buffered (nothing recorded for a while).
 * - `log`: a line worth showing the organizer.
 * - `schedule`: feed a `tick` at host clock `at` (epoch s); replaces any earlier request.
 * - `follow`: a new player is known; a caller that subscribes to positions per player does it now.
 * - `reply`: the answer to the command just given.
 * - `ended`: the race is over and its post-race state recorded: write the results. The
 *   recording stays open for rulings until the host closes it.
 * - `amended`: a ruling after the end changed the final ranking (recorded, and flushed just
 *   before): write the results again.
 */
export type DirectorEffect =
  | PublishEffect
  | { readonly type: 'record'; readonly entry: ReceivedMessage }
  | { readonly type: 'flush' }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'schedule'; readonly at: number }
  | { readonly type: 'follow'; readonly playerId: string; readonly topic: string }
  | { readonly type: 'reply'; readonly result: CommandResult }
  | { readonly type: 'ended'; readonly reason: string; readonly aborted: boolean }
  | { readonly type: 'amended' };
