/**
 * Characters that must never reach a terminal or a page from the wire: C0 and C1 controls (ESC
 * starts terminal escape sequences that clear screens, retitle windows or move the cursor), DEL,
 * the bidirectional overrides and isolates that make text read in another order than it is
 * stored, and the Unicode line and paragraph separators that break a line where none shows.
 */
export const UNSAFE_TEXT_PATTERN: RegExp =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const UNSAFE_TEXT_GLOBAL = new RegExp(UNSAFE_TEXT_PATTERN.source, 'g');

/** True when `text` holds none of {@link UNSAFE_TEXT_PATTERN}'s characters. */
export function isDisplaySafe(text: string): boolean {
  return !UNSAFE_TEXT_PATTERN.test(text);
}

/**
 * Text from the wire made safe to print: every control, bidi override or line separator becomes
 * U+FFFD (so a reader sees that something was there), and the result is cut to `maxLength`
 * characters. Use it on anything untrusted before it reaches a terminal: names, chat, reasons,
 * topics, client ids, error messages that quote input.
 *
 * @example
 * toDisplayText('\u001b[2JAnn'); // '\uFFFD[2JAnn'
 */
export function toDisplayText(text: unknown, maxLength = 500): string {
  const shown = typeof text === 'string' ? text : String(text);
  const safe = shown.replace(UNSAFE_TEXT_GLOBAL, '\uFFFD');
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe;
}
