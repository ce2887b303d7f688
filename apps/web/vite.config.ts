import { defineConfig } from 'vite';
import { bundleReport } from './bundle-report';

// The viewer is served by gw2race-host (apps/host-cli copies dist/ into its own dist/web).
// `pnpm --filter @gw2race/web dev` proxies the API and MQTT to a host: GW2RACE_HOST=http://127.0.0.1:8080.
const host = process.env.GW2RACE_HOST ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [bundleReport()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // mqtt.js (live view) and mediabunny (video export) are loaded only when needed.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': host,
      '/mqtt': { target: host.replace(/^http/, 'ws'), ws: true },
    },
  },
});
