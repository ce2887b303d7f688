import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needs, SHORT_TRACK, startHost, startRacer, stopAll } from './harness';
import {
  ARTIFACTS,
  drawnRacers,
  everyRacerDrawn,
  hookOf,
  launchChromium,
  waitForHook,
  watchProblems,
} from './web-browser';

afterAll(stopAll);

describe.skipIf(!needs('chromium'))('the race viewer during a live race in Chromium', () => {
  it('refuses organizer commands without the token, obeys them with it, and shows racers and ranking live', async () => {
    const { host, url } = await startHost([
      '--race',
      'web-live',
      '--track',
      SHORT_TRACK,
      '--start-delay',
      '30',
      '--finish-timeout',
      '3',
    ]);
    // Piped output ends up in logs: the token goes to an owner-only file, not to stdout.
    const match = await host.waitFor(
      /viewer: (http:\/\/\S+\/)\s+organizer controls: in (\S+) \(not printed/,
    );
    const viewer = match[1] as string;
    const linkFile = match[2] as string;
    expect((statSync(linkFile).mode & 0o777).toString(8)).toBe('600');
    const organizerLink = readFileSync(linkFile, 'utf8').trim();
    expect(organizerLink).toMatch(/\?token=[\w-]+$/);
    expect(host.output()).not.toContain('token=');
    const browser = await launchChromium();
    try {
      // A spectator without the token.
      const spectator = await browser.context.newPage();
      const spectatorProblems = watchProblems(spectator);
      await spectator.goto(`${viewer}?tiles=off`);
      await waitForHook(spectator, "h.view === 'live' && h.connection === 'connected'");
      await spectator.click('[data-tab=organizer]');
      await expect(spectator.textContent('[data-testid=token-status]')).resolves.toMatch(
        /No organizer token/,
      );
      await spectator.click('[data-testid=start]');
      await spectator.waitForSelector('[data-testid=control-result].error');
      await expect(spectator.textContent('[data-testid=control-result]')).resolves.toMatch(
        /refused: organizer controls need the host token/,
      );
      // A wrong token is refused too.
      await spectator.fill('[data-testid=token-input]', 'not-the-token');
      await spectator.click('[data-testid=token-use]');
      await expect(spectator.textContent('[data-testid=token-status]')).resolves.toMatch(
        /token set/,
      );
      await spectator.click('[data-testid=pause]');
      await spectator.waitForFunction(() =>
        document.querySelector('[data-testid=control-result]')?.textContent?.includes('refused'),
      );
      await spectator.screenshot({ path: join(ARTIFACTS, 'web-live-refused.png') });
      expect(host.output()).not.toMatch(/START: the race starts/);
      const racers = [startRacer('web-live', url, 'Alice'), startRacer('web-live', url, 'Bob')];
      await host.waitFor(/Alice joined as racer/);
      await host.waitFor(/Bob joined as racer/);

      // The organizer, with the link the host printed: the token leaves the address bar.
      const organizer = await browser.context.newPage();
      const organizerProblems = watchProblems(organizer);
      await organizer.goto(`${organizerLink}&tiles=off`);
      await waitForHook(organizer, "h.view === 'live' && h.connection === 'connected'");
      expect(organizer.url()).not.toContain('token');
      expect(organizer.url()).toContain('tiles=off');
      await organizer.click('[data-tab=organizer]');
      await expect(organizer.textContent('[data-testid=token-status]')).resolves.toMatch(
        /token set/,
      );
      await organizer.fill('[data-testid=message-text]', 'Good luck, racers');
      await organizer.click('[data-testid=send-message]');
      await organizer.waitForSelector('[data-testid=control-result].ok');
      await organizer.fill('[data-testid=start-delay]', '2');
      await organizer.click('[data-testid=start]');
      await organizer.waitForFunction(() =>
        document
          .querySelector('[data-testid=control-result]')
          ?.textContent?.includes('done: start in 2 s'),
      );
      await host.waitFor(/START: the race starts in 2 s/);
      // The spectator sees both racers move on the map and the ranking.
      await waitForHook(
        spectator,
        'h.raceTimeMs > 3000 && h.racers.length === 2 && h.ranking.length === 2',
        30_000,
      );
      const first = await hookOf(spectator);
      await spectator.waitForTimeout(1500);
      const later = await hookOf(spectator);
      for (const racer of later.racers) {
        const before = first.racers.find((r) => r.playerId === racer.playerId);
        expect(
          Math.hypot(racer.x - (before?.x ?? 0), racer.z - (before?.z ?? 0)),
          `${racer.playerId} moves`,
        ).toBeGreaterThan(10);
        // On the course: the short track spans x 0..200, z 0..220.
        expect(racer.x).toBeGreaterThan(-30);
        expect(racer.x).toBeLessThan(230);
      }
      const drawn = await drawnRacers(spectator);
      expect(drawn).toHaveLength(2);
      expect(everyRacerDrawn(drawn), JSON.stringify(drawn)).toBe(true);
      await spectator.click('[data-tab=ranking]');
      const rows = await spectator.$$eval('[data-testid=ranking] tbody tr', (trs) =>
        trs.map((tr) => tr.textContent ?? ''),
      );
      expect(rows).toHaveLength(2);
      expect(rows.join(' ')).toMatch(/Alice/);
      expect(rows.join(' ')).toMatch(/Bob/);
      await spectator.click('[data-tab=log]');
      await expect(spectator.textContent('[data-testid=log]')).resolves.toMatch(
        /Good luck, racers/,
      );
      await spectator.click('[data-tab=ranking]');
      await spectator.screenshot({ path: join(ARTIFACTS, 'web-live-race.png') });

      // The recording as it stands, mid-race (an unfinished file), opens in the replay view.
      const sofar = await browser.context.newPage();
      await sofar.goto(`${viewer}replay?src=host&tiles=off`);
      await waitForHook(sofar, "h.view === 'replay' && h.ready && h.endMs > 0");
      // At its last instant both racers are on the course, mid-race.
      await sofar.keyboard.press('End');
      await waitForHook(sofar, 'h.raceTimeMs === h.endMs && h.racers.length === 2');
      const sofarHook = await hookOf(sofar);
      expect(sofarHook.racers.map((r) => r.playerId).sort()).toEqual(['alice', 'bob']);
      await sofar.close();

      // The OBS overlay: transparent page, clock and ranking.
      const overlay = await browser.context.newPage();
      const overlayProblems = watchProblems(overlay);
      await overlay.goto(`${viewer}overlay?map=1`);
      await waitForHook(overlay, "h.view === 'overlay' && h.ranking.length === 2");
      const background = await overlay.evaluate(
        () => getComputedStyle(document.body).backgroundColor,
      );
      expect(background).toBe('rgba(0, 0, 0, 0)');
      await expect(overlay.textContent('[data-testid=overlay-clock]')).resolves.toMatch(
        /^\d+:\d\d\.\d$/,
      );
      await overlay.screenshot({
        path: join(ARTIFACTS, 'web-live-overlay.png'),
        omitBackground: true,
      });
      expect(await host.exited).toBe(0);
      for (const racer of racers) await racer.exited;
      await waitForHook(spectator, "h.ranking.every((r) => r.status === 'finished')", 15_000);
      await spectator.screenshot({ path: join(ARTIFACTS, 'web-live-finished.png') });
      // Chromium logs the host's 401 answers (the refusals tested above) as console errors, and
      // a reconnect that raced the host's exit as a refused WebSocket.
      const expected = (p: string) => p.includes('status of 401') || p.includes("/mqtt' failed");
      expect(spectatorProblems.filter((p) => !expected(p))).toEqual([]);
      expect(organizerProblems.filter((p) => !expected(p))).toEqual([]);
      expect(overlayProblems.filter((p) => !expected(p))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
