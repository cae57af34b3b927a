// Imported by main.ts before the engine: the built engine keeps its V8 code cache next to its bundle,
// which is read-only inside an installed app (app.asar), so every start would compile the engine again.
// userData is the install's own writable folder. Set by hand (SERVEROKEY_CODE_CACHE_DIR) it is left alone.
import { app } from 'electron';
import path from 'node:path';

process.env.SERVEROKEY_CODE_CACHE_DIR ??= path.join(app.getPath('userData'), 'code-cache');
