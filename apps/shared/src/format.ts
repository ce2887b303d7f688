/** Race time as people read it: `1:02.345`, `12.345`, or `-0:03.2` before the start. */
export function formatRaceTime(seconds: number | undefined | null, decimals = 3): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '—';
  const sign = seconds < 0 ? '-' : '';
  const abs = Math.abs(seconds);
  const minutes = Math.floor(abs / 60);
  const rest = abs - minutes * 60;
  const secondsText = rest.toFixed(decimals).padStart(decimals > 0 ? decimals + 3 : 2, '0');
  return minutes > 0 ? `${sign}${minutes}:${secondsText}` : `${sign}${rest.toFixed(decimals)}`;
}

/** A gap: `+1.234`, or `—` when unknown. */
export function formatGap(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds === 0) return 'leader';
  return `+${formatRaceTime(seconds)}`;
}

/** Milliseconds, rounded sensibly: `0.4 ms`, `12 ms`. */
export function formatMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '—';
  return Math.abs(ms) < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** A countdown: `0:59`, `3`, `GO`. */
export function formatCountdown(seconds: number): string {
  if (seconds <= 0) return 'GO';
  const whole = Math.ceil(seconds);
  if (whole < 60) return String(whole);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Lays out rows as an aligned plain-text table. Numbers are right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = [headers.map(String), ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  const numeric = headers.map(
    (_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === 'number'),
  );
  return cells
    .map((row) =>
      row
        .map((cell, column) =>
          numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
