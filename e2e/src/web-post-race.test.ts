import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, needs, raceOptions, startHost, startRacer, stopAll } from './harness';
import { raceFiles, readResults } from './results';
import { ARTIFACTS, hookOf, launchChromium, waitForHook, watchProblems } from './web-browser';

afterAll(stopAll);

describe.skipIf(!needs('chromium'))('the viewer after the race, in Chromium', () => {
  it('takes a ruling in the Organizer tab after END, then says the host closed the race and how to open its recording', async () => {
    const { host, url, out } = await startHost(
      [...raceOptions('web-post', { autoStart: 2 }), '--finish-timeout', '20'],
      undefined,
      { stayOpen: true },
    );
    const match = await host.waitFor(/organizer controls: in (\S+) \(not printed/);
    const organizerLink = readFileSync(match[1] as string, 'utf8').trim();
    const racers = [
      startRacer('web-post', url, 'Ann', ['--sim-speed', '30']),
      startRacer('web-post', url, 'Bob', ['--sim-speed', '20']),
    ];
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${organizerLink}&tiles=off`);
      await waitForHook(page, "h.view === 'live' && h.connection === 'connected'");
      await host.waitFor(/the race is over; the viewer stays open at/, 60_000);
      for (const racer of racers) expect(await exitOf(racer)).toBe(0);
      await waitForHook(page, "h.ranking.length === 2 && h.ranking[0].playerId === 'ann'");

      // After the end the Organizer tab still rules on a racer, and the ranking follows.
      await page.click('[data-tab=organizer]');
      const rulings = page.locator('h3', { hasText: 'Rulings' });
      const row = rulings.locator('xpath=following-sibling::div[1]');
      await row.locator('select').nth(0).selectOption('ann');
      await row.locator('select').nth(1).selectOption('dsq');
      const apply = rulings.locator('xpath=following-sibling::div[2]');
      await apply.locator('input').fill('cut the corner');
      await apply.locator('button', { hasText: 'Apply' }).click();
      await page.waitForSelector('[data-testid=control-result].ok');
      await host.waitFor(/ruling: dsq Ann \(cut the corner\)/);
      await waitForHook(
        page,
        "h.ranking[0].playerId === 'bob' && h.ranking.some((r) => r.playerId === 'ann' && r.status === 'dsq')",
      );

      // The organizer closes the race: the page says so, with the command that replays it.
      host.kill('SIGINT');
      expect(await exitOf(host, 30_000)).toBe(0);
      await waitForHook(page, "h.connection === 'closed'");
      const note = await page.textContent('[data-testid=closed]');
      expect(note).toMatch(/The host closed the race\./);
      const { recording, resultsJson } = raceFiles(out);
      const command = await page.textContent('[data-testid=closed] code');
      expect(command).toMatch(
        new RegExp(` replay \\S*${basename(recording).replace(/\./g, '\\.')}$`),
      );
      await expect(page.textContent('[data-testid=connection]')).resolves.toBe(
        'closed: the host closed the race',
      );
      expect((await hookOf(page)).ranking.map((r) => [r.playerId, r.status])).toEqual(
        readResults(resultsJson).ranking.map((r) => [r.playerId, r.status]),
      );
      await page.screenshot({ path: join(ARTIFACTS, 'web-post-race-closed.png') });
      // The host going away ends its /api/time polls and the WebSocket: nothing else may fail.
      const expected = (p: string) =>
        p.includes("/mqtt' failed") || p.includes('/api/time') || p.includes('ERR_CONNECTION');
      expect(problems.filter((p) => !expected(p))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
