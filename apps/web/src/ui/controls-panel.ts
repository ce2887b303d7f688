import type { LiveRace } from '@gw2race/race-analysis';
import {
  type ControlCommand,
  type ControlOutcome,
  describeCommand,
  sendControl,
} from '../core/control-client';
import { h } from './dom';

/** Where the organizer token lives (the tab's session storage, filled from `?token=`). */
export interface TokenStore {
  token(): string | undefined;
  setToken(token: string): void;
}

/**
 * The organizer's controls: start with a delay, pause, resume, announce, end, abort, rulings.
 * Every command goes to the host with the token; the host decides, and its answer (including a
 * refusal without the token) is shown as it is.
 */
export class ControlsPanel {
  readonly element: HTMLElement;
  private readonly result: HTMLElement;
  private readonly tokenLine: HTMLElement;
  private readonly racerSelects: HTMLSelectElement[] = [];
  private armedAbort: number | undefined;
  private readonly abortButton: HTMLButtonElement;

  constructor(
    private readonly race: LiveRace,
    private readonly tokens: TokenStore,
  ) {
    this.result = h('div', {
      'data-testid': 'control-result',
      role: 'alert',
      'aria-live': 'assertive',
    });
    this.tokenLine = h('div', {});
    const reason = h('input', {
      type: 'text',
      maxlength: 500,
      placeholder: 'reason (optional)',
      'data-testid': 'end-reason',
    });
    this.abortButton = h(
      'button',
      { class: 'danger', 'data-testid': 'abort', onclick: () => this.abort(reason.value) },
      'Abort',
    );
    this.element = h(
      'div',
      {},
      this.tokenLine,
      ...this.raceSection(),
      ...this.announceSection(),
      ...this.endSection(reason),
      ...this.rulingSection(),
      this.result,
    );
    this.renderToken();
  }

  /** Start with a delay, pause, resume. */
  private raceSection(): HTMLElement[] {
    const delay = h('input', {
      type: 'number',
      min: 0,
      max: 86400,
      step: 1,
      value: 10,
      style: 'width:6em',
      'data-testid': 'start-delay',
    });
    return [
      h('h3', {}, 'Race'),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            class: 'primary',
            'data-testid': 'start',
            onclick: () =>
              void this.send({ action: 'start', delay: Math.max(0, Number(delay.value) || 0) }),
          },
          'Start',
        ),
        'in',
        delay,
        's',
        h(
          'button',
          { 'data-testid': 'pause', onclick: () => void this.send({ action: 'pause' }) },
          'Pause',
        ),
        h(
          'button',
          { 'data-testid': 'resume', onclick: () => void this.send({ action: 'resume' }) },
          'Resume',
        ),
      ),
    ];
  }

  /** A message to every racer or one. */
  private announceSection(): HTMLElement[] {
    const text = h('input', {
      type: 'text',
      maxlength: 500,
      placeholder: 'message to racers',
      'data-testid': 'message-text',
    });
    const to = this.racerSelect('everyone');
    const send = () => {
      if (!text.value.trim())
        return this.show({ ok: false, status: 0, error: 'type a message first' });
      void this.send({
        action: 'message',
        text: text.value.trim(),
        ...(to.value ? { to: to.value } : {}),
      }).then((o) => {
        if (o.ok) text.value = '';
      });
    };
    return [
      h('h3', {}, 'Announce'),
      h(
        'div',
        { class: 'row' },
        text,
        to,
        h('button', { 'data-testid': 'send-message', onclick: send }, 'Send'),
      ),
    ];
  }

  /** End the race (results final) or abort it (called off). */
  private endSection(reason: HTMLInputElement): HTMLElement[] {
    return [
      h('h3', {}, 'End'),
      h(
        'div',
        { class: 'row' },
        reason,
        h(
          'button',
          {
            'data-testid': 'end',
            onclick: () =>
              void this.send({ action: 'end', ...(reason.value ? { reason: reason.value } : {}) }),
          },
          'End race',
        ),
        this.abortButton,
      ),
      h(
        'p',
        { class: 'hint' },
        'End: results become final, racers not finished are DNF. Abort: the race is called off, no results (click twice).',
      ),
    ];
  }

  /** DSQ, DNF or reinstate one racer. */
  private rulingSection(): HTMLElement[] {
    const rulingRacer = this.racerSelect(undefined);
    const rulingKind = h(
      'select',
      {},
      h('option', { value: 'dsq' }, 'disqualify (DSQ)'),
      h('option', { value: 'dnf' }, 'retire (DNF)'),
      h('option', { value: 'reinstate' }, 'reinstate'),
    );
    const rulingReason = h('input', { type: 'text', maxlength: 500, placeholder: 'reason' });
    const apply = () => {
      if (!rulingRacer.value) return this.show({ ok: false, status: 0, error: 'pick a racer' });
      void this.send({
        action: 'ruling',
        playerId: rulingRacer.value,
        ruling: rulingKind.value as 'dsq' | 'dnf' | 'reinstate',
        ...(rulingReason.value ? { reason: rulingReason.value } : {}),
      });
    };
    return [
      h('h3', {}, 'Rulings'),
      h('div', { class: 'row' }, rulingRacer, rulingKind),
      h('div', { class: 'row' }, rulingReason, h('button', { onclick: apply }, 'Apply')),
    ];
  }

  private racerSelect(all: string | undefined): HTMLSelectElement {
    const select = h(
      'select',
      {},
      all ? h('option', { value: '' }, all) : h('option', { value: '' }, 'racer…'),
    );
    select.dataset.all = all ?? '';
    this.racerSelects.push(select);
    return select;
  }

  /** Refreshes the racer lists (new racers joined). */
  refreshRacers(): void {
    const ids = [
      ...new Set([
        ...(this.race.ranking?.entries.map((e) => e.playerId) ?? []),
        ...this.race.racers.keys(),
      ]),
    ];
    for (const select of this.racerSelects) {
      const have = [...select.options].map((o) => o.value).filter(Boolean);
      if (have.length === ids.length && have.every((id, i) => id === ids[i])) continue;
      const value = select.value;
      select.replaceChildren(
        h('option', { value: '' }, select.dataset.all || 'racer…'),
        ...ids.map((id) => h('option', { value: id }, this.race.nameOf(id))),
      );
      select.value = ids.includes(value) ? value : '';
    }
  }

  private renderToken() {
    const token = this.tokens.token();
    if (token) {
      this.tokenLine.replaceChildren(
        h(
          'p',
          { class: 'notice ok', 'data-testid': 'token-status' },
          'Organizer token set (from your link, or pasted): commands are sent with it; the host checks it.',
        ),
      );
      return;
    }
    const input = h('input', {
      type: 'password',
      placeholder: 'host token',
      autocomplete: 'off',
      'data-testid': 'token-input',
    });
    this.tokenLine.replaceChildren(
      h(
        'p',
        { class: 'notice info', 'data-testid': 'token-status' },
        'No organizer token: the host will refuse commands. Open the “organizer controls” link the host printed, or paste its token:',
      ),
      h(
        'div',
        { class: 'row' },
        input,
        h(
          'button',
          {
            'data-testid': 'token-use',
            onclick: () => {
              if (input.value.trim()) {
                this.tokens.setToken(input.value.trim());
                this.renderToken();
              }
            },
          },
          'Use',
        ),
      ),
    );
  }

  private abort(reason: string) {
    if (this.armedAbort === undefined) {
      this.abortButton.textContent = 'Really abort?';
      this.armedAbort = window.setTimeout(() => {
        this.armedAbort = undefined;
        this.abortButton.textContent = 'Abort';
      }, 4000);
      return;
    }
    clearTimeout(this.armedAbort);
    this.armedAbort = undefined;
    this.abortButton.textContent = 'Abort';
    void this.send({ action: 'abort', ...(reason ? { reason } : {}) });
  }

  private show(outcome: ControlOutcome, command?: ControlCommand) {
    if (outcome.ok) {
      this.result.className = 'notice ok';
      this.result.textContent = `✓ done: ${command ? describeCommand(command) : ''}`;
    } else {
      this.result.className = 'notice error';
      this.result.textContent = `✗ ${outcome.error}${outcome.status === 401 ? ' — open the organizer link with ?token=…' : ''}`;
    }
  }

  /** Sends a command and shows the host's answer. */
  async send(command: ControlCommand): Promise<ControlOutcome> {
    this.result.className = 'hint';
    this.result.textContent = `sending: ${describeCommand(command)}…`;
    const outcome = await sendControl(command, this.tokens.token());
    this.show(outcome, command);
    return outcome;
  }
}
