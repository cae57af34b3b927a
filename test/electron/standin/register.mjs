// `node --import ./register.mjs dist/electron/main.js`: resolves `electron` to the stand-in next to it.
import { register } from 'node:module';

register('./resolve-electron.mjs', import.meta.url);
