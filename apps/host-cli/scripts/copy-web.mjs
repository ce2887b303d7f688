// Copies the built race viewer (apps/web/dist) next to the host's bundle (dist/web), so the
// published gw2race-host serves it without the rest of the repository.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const to = fileURLToPath(new URL('../dist/web/', import.meta.url));
rmSync(to, { recursive: true, force: true });
if (existsSync(`${from}index.html`)) {
  cpSync(from, to, { recursive: true });
  console.log('copied the web viewer into dist/web');
} else {
  console.log('the web viewer is not built (apps/web/dist): the host will serve without it');
}
