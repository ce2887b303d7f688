import { defineConfig } from 'tsup';
import { createAppTsupConfig } from '../../tooling/tsup';

export default defineConfig(createAppTsupConfig(new URL('./package.json', import.meta.url)));
