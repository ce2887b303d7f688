import { describe, expect, it } from 'vitest';
import { selfCommand } from '../self-command';

const pnpm = 'pnpm/10.34.9 npm/? node/v20.19.0 linux x64';

describe('selfCommand', () => {
  it('gives the repository script when a pnpm script started the app', () => {
    const script = '/src/gw2race/apps/host-cli/dist/cli.js';
    const env = { npm_lifecycle_event: 'host', npm_config_user_agent: pnpm };
    expect(
      selfCommand('gw2race-host', 'host', ['demo'], { env, script, cwd: '/src/gw2race' }),
    ).toBe('npx pnpm@10 host');
    const demo = { npm_lifecycle_event: 'demo', npm_config_user_agent: pnpm };
    expect(selfCommand('gw2race-host', 'host', ['demo'], { env: demo, script, cwd: '/x' })).toBe(
      'npx pnpm@10 host',
    );
  });

  it('gives the node form for a clone build run by hand', () => {
    const script = '/src/gw2race/apps/host-cli/dist/cli.js';
    expect(selfCommand('gw2race-host', 'host', [], { env: {}, script, cwd: '/src/gw2race' })).toBe(
      'node apps/host-cli/dist/cli.js',
    );
    expect(selfCommand('gw2race-host', 'host', [], { env: {}, script, cwd: '/elsewhere' })).toBe(
      `node ${script}`,
    );
  });

  it('gives the bin name for an installed package or another script', () => {
    const installed = '/usr/lib/node_modules/gw2race-host/dist/cli.js';
    expect(selfCommand('gw2race-host', 'host', [], { env: {}, script: installed, cwd: '/' })).toBe(
      'gw2race-host',
    );
    const npmRun = { npm_lifecycle_event: 'start', npm_config_user_agent: 'npm/11.0.0' };
    expect(
      selfCommand('gw2race-host', 'host', [], { env: npmRun, script: installed, cwd: '/' }),
    ).toBe('gw2race-host');
  });
});
