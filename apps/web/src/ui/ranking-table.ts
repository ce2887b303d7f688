import type { RankingMessage } from '@gw2race/protocol';
import {
  type CourseCounts,
  checkpointText,
  formatGap,
  formatRaceTime,
  lapText,
  rankingHasOrder,
  rankingSplit,
  STATUS_LABEL,
} from '@gw2race/race-analysis';
import { h } from './dom';

/** How names and colours are looked up. */
export interface RacerLook {
  nameOf(playerId: string): string;
  colorOf(playerId: string): string;
  /** What the course asks (crossings per lap, laps), when known: `CP 5/13`, `Lap 2/3`. */
  counts?(): CourseCounts | undefined;
}

/**
 * The live ranking: position, racer, the lap they are on, checkpoints crossed on it out of the
 * lap's, split, gap to the leader, flags. Before anyone crossed a checkpoint nobody leads: the
 * positions show `–`. Rows are rebuilt only when the ranking message changes.
 */
export class RankingTable {
  readonly element: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private shown: RankingMessage | null | undefined;
  private selected: string | undefined;

  constructor(
    private readonly look: RacerLook,
    private readonly onSelect?: (playerId: string) => void,
  ) {
    this.body = h('tbody');
    this.element = h(
      'table',
      { class: 'ranking', 'data-testid': 'ranking' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { class: 'num', title: 'position' }, '#'),
          h('th', {}, 'Racer'),
          h('th', { class: 'num', title: 'the lap the racer is on' }, 'Lap'),
          h(
            'th',
            {
              class: 'num',
              title:
                'checkpoints crossed on this lap, of the lap’s (the finish counted, the start not)',
            },
            'CP',
          ),
          h(
            'th',
            { class: 'num', title: 'finish time, else race time at the last checkpoint' },
            'Split',
          ),
          h('th', { class: 'num', title: 'gap to the leader' }, 'Gap'),
          h('th', { class: 'num', title: 'flags raised for review' }, '⚑'),
        ),
      ),
      this.body,
    );
  }

  /** Highlights a racer. */
  select(playerId: string | undefined): void {
    this.selected = playerId;
    this.shown = undefined;
  }

  /** Shows a ranking (no-op when it is the one already shown). */
  update(ranking: RankingMessage | null): void {
    if (ranking === this.shown) return;
    this.shown = ranking;
    const entries = ranking?.entries ?? [];
    if (entries.length === 0) {
      this.body.replaceChildren(
        h(
          'tr',
          {},
          h('td', { colspan: 7, class: 'empty' }, 'No ranking yet: racers appear when they join.'),
        ),
      );
      return;
    }
    const counts = this.look.counts?.();
    const ordered = rankingHasOrder(entries);
    this.body.replaceChildren(
      ...entries.map((entry) => {
        const split = rankingSplit(entry);
        const status = entry.status;
        const gap =
          !ordered ||
          entry.position === 1 ||
          entry.gapToLeader === undefined ||
          entry.gapToLeader === null
            ? ''
            : formatGap(entry.gapToLeader);
        return h(
          'tr',
          {
            class: `status-${status}${entry.playerId === this.selected ? ' selected' : ''}`,
            'data-player': entry.playerId,
            onclick: () => this.onSelect?.(entry.playerId),
          },
          h(
            'td',
            { class: 'num pos', title: ordered ? '' : 'nobody has crossed a checkpoint yet' },
            ordered ? entry.position : '–',
          ),
          h(
            'td',
            { class: 'racer' },
            h('span', {
              class: 'swatch',
              style: `background:${this.look.colorOf(entry.playerId)}`,
            }),
            h('span', { class: 'name' }, entry.name ?? this.look.nameOf(entry.playerId)),
            status !== 'racing'
              ? h('span', { class: `badge ${status}` }, STATUS_LABEL[status] ?? status)
              : null,
          ),
          h('td', { class: 'num', 'data-col': 'lap' }, lapText(entry, counts)),
          h(
            'td',
            {
              class: 'num',
              'data-col': 'cp',
              title: entry.lastCp === undefined ? '' : `last: checkpoint id ${entry.lastCp}`,
            },
            entry.status === 'waiting' ? '–' : checkpointText(entry, counts),
          ),
          h(
            'td',
            {
              class: 'num time',
              title:
                entry.uncertainty !== undefined
                  ? `± ${(entry.uncertainty * 1000).toFixed(1)} ms`
                  : '',
            },
            split === undefined ? '' : formatRaceTime(split),
          ),
          h('td', { class: 'num' }, gap),
          h('td', { class: `num${entry.flags ? ' flagged' : ''}` }, entry.flags ? entry.flags : ''),
        );
      }),
    );
  }
}
