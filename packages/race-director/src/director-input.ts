import type { ReceivedMessage } from '@gw2race/protocol';

/** An organizer's command (from the web app, the keyboard or a script). */
export type OrganizerCommand =
  | { readonly action: 'start'; readonly delay?: number }
  | { readonly action: 'message'; readonly text: string; readonly to?: string }
  | { readonly action: 'pause' }
  | { readonly action: 'resume' }
  | { readonly action: 'end'; readonly reason?: string }
  | { readonly action: 'abort'; readonly reason?: string }
  | {
      readonly action: 'ruling';
      readonly playerId: string;
      readonly ruling: 'dsq' | 'dnf' | 'reinstate';
      readonly reason?: string;
    };

/** Outcome of a command: done, or why not. */
export type CommandResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * What the director consumes. Plain data, each with the host clock it happened at (epoch s), so
 * a log of inputs fed to a fresh director rebuilds the same state.
 */
export type DirectorInput =
  /** The race opens: the first state and SYNC_T0 go out and the ticks begin. */
  | { readonly type: 'open'; readonly at: number }
  /** A decoded message from the hub, with its receive time (`received.at`). */
  | { readonly type: 'message'; readonly received: ReceivedMessage }
  /** The clock reached a time the director asked to be woken at (or any later time). */
  | { readonly type: 'tick'; readonly at: number }
  /** An organizer's command. */
  | { readonly type: 'command'; readonly at: number; readonly command: OrganizerCommand }
  /**
   * A line of this race's recording, fed back in recorded order to rebuild the state a host had
   * when it stopped (a restart after a crash): judged as it was live, nothing published or
   * recorded again, no effects. See {@link rebuildDirector}.
   */
  | { readonly type: 'recorded'; readonly entry: ReceivedMessage }
  /**
   * The race goes on live after a rebuild: every client is followed again, the outage does not
   * count against anyone (silence counts from now), the state and ranking go out (recorded),
   * and the ticks begin again.
   */
  | { readonly type: 'reopen'; readonly at: number }
  /**
   * A closed race's gate refused a message before it reached the director (see the protocol's
   * `createMessageVerifier`): counted per player, and the first of each reason flags the player.
   */
  | {
      readonly type: 'refused';
      readonly at: number;
      /** The player the message spoke for, when it named one. */
      readonly playerId: string | undefined;
      /** `unsigned`, `forged`, `moved`, `replayed`, `unknown-sender` or `malformed`. */
      readonly reason: string;
      readonly topic: string;
      /** One line for people. */
      readonly detail: string;
    };
