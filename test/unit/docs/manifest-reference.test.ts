// docs/manifest-reference.md is generated from the manifest's zod schema: it must match what the generator
// writes now, and every field of the schema must be described.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { referenceFields, referenceFile, renderManifestReference, undescribedFields } from '../../../scripts/manifest-reference.js';

test('docs/manifest-reference.md is up to date with the manifest schema', async () => {
  const written = await readFile(referenceFile, 'utf8').catch(() => '');
  assert.ok(
    written === renderManifestReference(),
    'docs/manifest-reference.md is out of date with server/manifest/schema.ts: run `npm run docs:reference` and commit the result',
  );
});

test('every field of the manifest schema is described, with its type and an example', () => {
  assert.deepEqual(undescribedFields(), [], 'describe these keys in scripts/manifest-field-docs.ts, then run `npm run docs:reference`');
  const fields = referenceFields();
  // the walk reaches nested keys of maps and lists, not only the sections
  for (const expected of ['connectors.<connector>.keys', 'routes.<route key>.auth.roles', 'launch.backup.every', 'exports.<export>.columns[].format']) {
    assert.ok(fields.some((f) => f.path === expected), `${expected} is listed`);
  }
  const text = renderManifestReference();
  assert.match(text, /\| `launch\.port` \| whole number \(0–65535\) \| no \| a free port \|/);
});
