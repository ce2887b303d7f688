import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The files a host wrote for its race. */
export function raceFiles(out: string): {
  recording: string;
  resultsJson: string;
  resultsCsv: string;
} {
  const files = readdirSync(out);
  const find = (suffix: string) => {
    const file = files.find((f) => f.endsWith(suffix));
    if (!file) throw new Error(`no *${suffix} in ${out}: ${files.join(', ')}`);
    return join(out, file);
  };
  return {
    recording: find('.replay.jsonl.gz'),
    resultsJson: find('.results.json'),
    resultsCsv: find('.results.csv'),
  };
}

/** Results as the host wrote them (the shape of race-engine's RaceResults). */
export interface Results {
  final: boolean;
  aborted: boolean;
  reason?: string;
  ranking: {
    playerId: string;
    position: number;
    status: string;
    time?: number;
    checkpoints: number;
  }[];
  racers: {
    playerId: string;
    status: string;
    time: number | null;
    flags: { kind: string; severity: string }[];
  }[];
  flags: { playerId: string; kind: string; severity: string; message: string }[];
}

export function readResults(file: string): Results {
  return JSON.parse(readFileSync(file, 'utf8')) as Results;
}

/** Every line of a recording read the plain way: zlib and JSON.parse (the `zcat | jq` contract). */
export function plainLines(recording: string): Record<string, unknown>[] {
  const text = gunzipSync(readFileSync(recording)).toString('utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
