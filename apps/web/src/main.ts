import './styles.css';
import { fetchHostInfo, routeOf, takeToken } from './core/host-info';
import { hook } from './ui/test-hook';

const TOKEN_KEY = 'gw2race-organizer-token';

async function start() {
  // The organizer token comes in the link the host prints; keep it for this tab only.
  const { token, cleaned } = takeToken(location.href);
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(history.state, '', cleaned);
  }
  const params = new URLSearchParams(location.search);
  const tiles = params.get('tiles') !== 'off';
  const info = await fetchHostInfo();
  const app = document.getElementById('app') as HTMLElement;
  const route = routeOf(location.pathname, info);
  hook.raceId = info?.raceId;
  if (route === 'standings') {
    const { startStandingsPage } = await import('./ui/standings-page');
    startStandingsPage(app, params);
  } else if (route === 'overlay-standings' || route === 'overlay-grid') {
    const { startStandingsOverlay } = await import('./ui/standings-overlay');
    startStandingsOverlay(app, route === 'overlay-grid' ? 'grid' : 'standings', params);
  } else if (route === 'overlay') {
    const { startOverlay } = await import('./ui/overlay-view');
    startOverlay(app, info, params);
  } else if (route === 'live' && info) {
    const { startLiveView } = await import('./ui/live-view');
    startLiveView(app, info, {
      tiles,
      token: () => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
      setToken: (t: string) => sessionStorage.setItem(TOKEN_KEY, t),
    });
  } else {
    const { startReplayView } = await import('./ui/replay-view');
    startReplayView(app, info, { tiles });
  }
}

void start();
