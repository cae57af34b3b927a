// The corpus of broken apps: each folder under test/fixtures/broken is an app with one kind of
// mistake and an expected.json listing exactly what the validator must report for it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatFinding, validateApp, type Finding } from '../../../server/validator/index.js';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/broken');

interface Expected {
  severity: Finding['severity'];
  location: string;
  messageIncludes: string;
  suggestion: string;
}

const cases = readdirSync(corpus)
  .filter((name) => statSync(path.join(corpus, name)).isDirectory())
  .sort();

test('the corpus holds at least 25 broken apps', () => {
  assert.ok(cases.length >= 25, `only ${cases.length} cases`);
});

for (const name of cases) {
  const dir = path.join(corpus, name);
  const { description, findings: expected } = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
    description: string;
    findings: Expected[];
  };
  test(`${name}: ${description}`, async () => {
    const { findings, ok } = await validateApp(dir);
    const shown = findings.map((f) => formatFinding(f)).join('\n');
    assert.equal(findings.length, expected.length, `expected ${expected.length} findings, got:\n${shown}`);
    for (const want of expected) {
      const match = findings.find(
        (f) => f.severity === want.severity && f.location === want.location && f.suggestion === want.suggestion && f.message.includes(want.messageIncludes),
      );
      assert.ok(match, `missing ${want.severity} at ${want.location}: "${want.messageIncludes}" / "${want.suggestion}"; got:\n${shown}`);
    }
    assert.equal(ok, !expected.some((e) => e.severity !== 'warning'));
  });
}
