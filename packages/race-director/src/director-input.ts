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
  | { readonly type: 'command'; readonly at: number; readonly command: OrganizerCommand };
