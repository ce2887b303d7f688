import type { HostOutcome } from './session';

/** What the organizer is told when the race ends and the post-race stage stays open. */
export interface PostRaceInfo {
  /** The viewer's address, when it is served. */
  readonly webUrl: string | undefined;
  /** Keys work (a terminal): `q` and Ctrl-C close the stage; else only a signal does. */
  readonly keys: boolean;
  /** This process's id, for `kill -INT` when no key can be pressed. */
  readonly pid: number;
  /** How to run the host again (`gw2race-host`, or `node …/cli.js` from a clone). */
  readonly self: string;
}

/**
 * How the post-race stage is closed, in one line: `q` or Ctrl-C on a terminal, else SIGINT or
 * SIGTERM (what a service manager sends).
 */
export function closeStageLine(info: Pick<PostRaceInfo, 'keys' | 'pid'>): string {
  return info.keys
    ? 'press q or Ctrl-C to close the race and quit'
    : `Ctrl-C (SIGINT) or SIGTERM closes the race and quits: kill -INT ${info.pid}`;
}

/**
 * The lines shown once the race is over and the host stays up: what is still served (viewer,
 * replay, rulings on flags), where the files are, and how to close it all.
 */
export function postRaceLines(outcome: HostOutcome, info: PostRaceInfo): string[] {
  const lines = [
    info.webUrl
      ? `the race is over; the viewer stays open at ${info.webUrl} for the results, "Replay so far" and rulings on flags (Organizer tab)`
      : 'the race is over; rulings on flags are still taken until the race is closed',
    `results: ${outcome.resultsJson} (written again after each ruling); recording: ${outcome.recording}`,
    `afterwards: ${info.self} replay ${outcome.recording}   (or: ${info.self} results ${outcome.recording})`,
    `${closeStageLine(info)} (--exit-after-race: quit right after the results)`,
  ];
  return lines;
}
