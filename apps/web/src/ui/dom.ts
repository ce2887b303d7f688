/** Attributes and listeners for {@link h}. */
export type Props = Record<
  string,
  string | number | boolean | undefined | ((event: Event) => void)
>;

/**
 * Creates an element: `h('button', { class: 'primary', onclick: go }, 'Start')`. Text children
 * are text nodes (never parsed as HTML), so names from the wire cannot inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Node | string | number | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(key.replace(/^on/, ''), value as EventListener);
    } else if (key === 'class') element.className = String(value);
    else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: (Node | string)[]): void {
  parent.replaceChildren(...children);
}

/** Saves a blob as a file through the browser's download. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name safe everywhere, from a race id and what it holds. */
export function exportName(raceId: string | undefined, what: string, extension: string): string {
  const id = (raceId ?? 'race').replace(/[^A-Za-z0-9._-]/g, '_');
  return `race_${id}_${what}.${extension}`;
}

/** A canvas sized for the device pixel ratio, its context scaled so drawing uses CSS pixels. */
export function sizeCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  dpr = window.devicePixelRatio || 1,
): CanvasRenderingContext2D {
  const w = Math.max(1, Math.round(width * dpr));
  const hh = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== hh) {
    canvas.width = w;
    canvas.height = hh;
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Whether a key event comes from a text field (where shortcuts must not fire). */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement &&
    !['range', 'checkbox', 'button', 'radio'].includes(target.type)
  );
}

/**
 * A side panel with tabs: one button per `[name, panel]`, the first shown, a click shows its
 * panel (`data-tab` is the lower-cased name, for tests).
 */
export function createTabs(tabs: readonly (readonly [string, HTMLElement])[]): HTMLElement {
  const body = h('div', { class: 'tab-body' });
  const buttons = tabs.map(([name, panel], i) =>
    h(
      'button',
      {
        class: i === 0 ? 'active' : '',
        'data-tab': name.toLowerCase(),
        onclick: (e: Event) => {
          for (const b of buttons) b.classList.remove('active');
          (e.currentTarget as HTMLElement).classList.add('active');
          body.replaceChildren(panel);
        },
      },
      name,
    ),
  );
  const first = tabs[0]?.[1];
  if (first) body.append(first);
  return h('aside', { class: 'side' }, h('div', { class: 'tabs' }, ...buttons), body);
}
