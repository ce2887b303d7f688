import type { Screen } from '@gw2race/app-shared';
import {
  type MumbleLinkReader,
  type MumbleLinkSample,
  type ReaderStatus,
  waitingMessage,
} from '@gw2race/mumblelink';
import type { Here } from '@gw2race/track-authoring';

/** Where the organizer is, from what the MumbleLink reader last said. */
export function hereFrom(
  status: ReaderStatus,
  latest: MumbleLinkSample | undefined,
  statusMessage: string,
  description: string,
): Here {
  if (status === 'live' && latest) {
    const p = latest.frame.avatar.position;
    return {
      known: true,
      x: p.x,
      y: p.y,
      z: p.z,
      mapId: latest.frame.context.mapId,
      at: latest.receivedAt,
    };
  }
  if (status === 'stale') return { known: false, why: statusMessage };
  if (status === 'waiting' || !latest) {
    return { known: false, why: statusMessage || waitingMessage(description) };
  }
  return { known: false, why: `no moving position yet from ${description}` };
}

/** Options of {@link watchOrganizer}. */
export interface WatchOrganizerOptions {
  readonly screen: Screen;
  /** The start's map, if dropped: a map change says when the organizer left it. */
  readonly startMapId: () => number | undefined;
  /** A new sample arrived. */
  readonly onFrame: () => void;
  /** The reader's status changed. */
  readonly onStatus: () => void;
}

/** The organizer's position as the recorder follows it: the reader's latest sample and status. */
export interface OrganizerPosition {
  /** Where the organizer is now, or why that is unknown. */
  here(): Here;
  readonly status: ReaderStatus;
  readonly latest: MumbleLinkSample | undefined;
  /** True once the reader was live at least once. */
  readonly everLive: boolean;
  /** Stops listening to the reader. */
  close(): void;
}

/**
 * Follows the organizer's MumbleLink reader: keeps the latest sample and status, and logs what
 * an organizer should know (the game found or lost, a map change, a read error).
 */
export function watchOrganizer(
  reader: MumbleLinkReader,
  options: WatchOrganizerOptions,
): OrganizerPosition {
  const { screen } = options;
  let latest: MumbleLinkSample | undefined;
  let status: ReaderStatus = 'stopped';
  let statusMessage = '';
  let everLive = false;
  const unsubscribe = [
    reader.on('frame', (sample) => {
      latest = sample;
      options.onFrame();
    }),
    reader.on('status', (change) => {
      status = change.status;
      statusMessage = change.message;
      if (change.status === 'live') {
        if (!everLive) screen.log(change.message);
        everLive = true;
      }
      if (change.status === 'waiting' || change.status === 'stale') screen.log(change.message);
      options.onStatus();
    }),
    reader.on('mapChange', ({ mapId, previousMapId }) => {
      const startMap = options.startMapId();
      screen.log(
        `${previousMapId === null ? 'on' : 'now on'} map ${mapId}${
          startMap !== undefined && startMap !== mapId ? ` (the start is on map ${startMap})` : ''
        }`,
      );
    }),
    reader.on('error', (error) => screen.log(`! MumbleLink: ${error.message}`)),
  ];
  return {
    here: () => hereFrom(status, latest, statusMessage, reader.description),
    get status() {
      return status;
    },
    get latest() {
      return latest;
    },
    get everLive() {
      return everLive;
    },
    close() {
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}
