import { spawnSync } from 'node:child_process';

/** Runs the stack-overflow burst against plain aedes and the hub; one line of outcome each. */
export function startBurst(tsx: string, script: string): string[] {
  return ['unhardened', 'no-rates'].map((mode) => {
    const result = spawnSync(tsx, [script, mode], { encoding: 'utf8', timeout: 60_000 });
    const crash = /RangeError[^\n]*/.exec(result.stderr)?.[0];
    const label = mode === 'unhardened' ? 'plain aedes' : 'hub (no rate limits)';
    if (crash) return `${label}: crashed, ${crash}`;
    const outcome = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as {
      stillRelays?: boolean;
    };
    return `${label}: held, ${outcome.stillRelays ? 'still relays' : 'did not relay afterwards'}`;
  });
}
