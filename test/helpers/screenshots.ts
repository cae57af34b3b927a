// Where the tests put the screenshots the README shows. `npm run screenshots` (SCREENSHOTS=update) writes
// them into docs/screenshots/ to be committed; an ordinary test run writes them to a temporary folder, so
// running the tests never leaves the work tree changed.
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from './host.js';

export const screenshotsDir =
  process.env.SCREENSHOTS === 'update' ? path.join(projectRoot, 'docs', 'screenshots') : path.join(os.tmpdir(), 'serverokey-screenshots');
