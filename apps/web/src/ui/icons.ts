const PATHS = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  stop: 'M3.5 3.5h9v9h-9z',
  rewind: 'M8 3v10L1.5 8zM14.5 3v10L8 8z',
  forward: 'M8 3v10l6.5-5zM1.5 3v10L8 8z',
  camera: 'M2 5h3l1.5-2h3L11 5h3v8H2zM8 6.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z',
} as const;

/** An icon name. */
export type IconName = keyof typeof PATHS;

/**
 * A 16-pixel icon as inline SVG: drawn the same on every machine (emoji and symbol glyphs are
 * missing from many fonts, headless browsers and OBS's included).
 */
export function icon(name: IconName): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'currentColor');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name]);
  path.setAttribute('fill-rule', 'evenodd');
  svg.append(path);
  return svg;
}
