// Loading a manifest from an application folder given as the caller has it (absolute or relative).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadManifest } from '../../../server/manifest/load.js';
import { projectRoot } from '../../helpers/host.js';

test('an application folder relative to the working folder loads like an absolute one', async (t) => {
  const cwd = process.cwd();
  process.chdir(projectRoot);
  t.after(() => process.chdir(cwd));
  const relative = await loadManifest(path.join('apps', 'kassa'));
  const absolute = await loadManifest(path.join(projectRoot, 'apps', 'kassa'));
  assert.equal(relative.file, absolute.file);
  assert.ok(path.isAbsolute(relative.file));
  assert.deepEqual(Object.keys(relative.manifest.routes), Object.keys(absolute.manifest.routes));
});
