import assert from 'node:assert/strict';
import test from 'node:test';
import { findingsAsJson, formatFinding, formatReport, validateManifest, type Finding } from '../../../server/validator/index.js';
import { manifestJsonSchema } from '../../../server/validator/json-schema.js';

const error: Finding = {
  severity: 'error',
  location: 'routes["GET /"].layout',
  message: 'component "myComponant" does not exist',
  suggestion: 'Did you mean "myComponent"?',
};
const warning: Finding = {
  severity: 'warning',
  location: 'app/components/receipt.html:12',
  message: 'atom-target "#recipt-container" matches no element on the pages that use "receipt"',
  suggestion: '',
};

test('one line per finding: severity, location, message — suggestion', () => {
  assert.equal(formatFinding(error), 'error   routes["GET /"].layout: component "myComponant" does not exist — Did you mean "myComponent"?');
  assert.equal(formatFinding(warning), 'warning app/components/receipt.html:12: atom-target "#recipt-container" matches no element on the pages that use "receipt"');
  assert.equal(formatReport([error, warning]).split('\n').pop(), '1 error, 1 warning');
  assert.equal(formatReport([]), 'no errors, no warnings');
  assert.match(formatFinding(error, { color: true }), /^\x1b\[31merror   \x1b\[0mroutes/);
});

test('--json prints [{ severity, location, message, suggestion }]', () => {
  assert.deepEqual(JSON.parse(findingsAsJson([error, warning])), [error, warning]);
});

test('a manifest that is not an object is critical', () => {
  for (const value of [null, undefined, 42, 'x', {}]) {
    const findings = validateManifest(value, { appDir: '/nowhere' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'critical');
  }
});


test('the JSON Schema is generated from the manifest schema', () => {
  const schema = manifestJsonSchema() as { $schema: string; required: string[]; properties: Record<string, any> };
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.deepEqual([...schema.required].sort(), ['components', 'connectors', 'routes']);
  const connector = schema.properties.connectors.additionalProperties;
  assert.deepEqual(connector.properties.type.enum, ['lowdb', 'wise-json', 'json', 'memory', 'in-memory', 'journal', 'postgres']);
  assert.deepEqual(schema.properties.routes.additionalProperties.properties.type.enum, ['view', 'action']);
});
