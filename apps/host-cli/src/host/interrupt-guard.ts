/** What a Ctrl-C does now: ask to confirm, or end the race. */
export type InterruptVerdict = 'confirm' | 'end';

/** Seconds a second Ctrl-C has to come within to end a running race. */
export const CONFIRM_WINDOW_S = 3;

/** What the organizer reads after a first Ctrl-C mid-race. */
export const CONFIRM_LINE = `Ctrl-C again within ${CONFIRM_WINDOW_S} s ends the race for everyone (e ends it too). To leave it running, do nothing; if this host is closed by accident, the same command resumes the race from its recording.`;

/**
 * Ctrl-C mid-race asks first: a second press within {@link CONFIRM_WINDOW_S} seconds ends the
 * race, a lone one only shows {@link CONFIRM_LINE}. Before the start and after the end one press
 * is enough. `now` is a monotonic clock in seconds (performance.now() / 1000), never Date.now().
 */
export function createInterruptGuard(now: () => number, windowS = CONFIRM_WINDOW_S) {
  let armedAt: number | undefined;
  return {
    press(racing: boolean): InterruptVerdict {
      if (!racing) return 'end';
      const at = now();
      if (armedAt !== undefined && at - armedAt <= windowS) return 'end';
      armedAt = at;
      return 'confirm';
    },
  };
}
