// Whether a template refers to a top-level name of the render context (what decides that a pushed
// fragment is rendered per user).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateRefersTo } from '../../../server/render/template-names.js';

test('a Mustache tag or an atom-if expression naming `user` refers to it', () => {
  const uses = (text: string, expressions: string[] = []) => templateRefersTo(text, expressions, 'user');
  assert.equal(uses('<p>{{user.name}}</p>'), true);
  assert.equal(uses('<p>{{ user }}</p>'), true);
  assert.equal(uses('{{#user}}{{name}}{{/user}}'), true);
  assert.equal(uses('{{^user}}гость{{/user}}'), true);
  assert.equal(uses('{{{user.html}}}'), true);
  assert.equal(uses('<b>{{#__atomIf_3}}x{{/__atomIf_3}}</b>', ["user && user.role == 'admin'"]), true);
  assert.equal(uses('<b>x</b>', ['!user']), true);
  // delimiters changed: cannot tell, so yes
  assert.equal(uses('{{=<% %>=}}<% name %>'), true);
});

test('other names, properties and longer identifiers do not', () => {
  const uses = (text: string, expressions: string[] = []) => templateRefersTo(text, expressions, 'user');
  assert.equal(uses('<ul class="user-list">{{#data.items}}<li>{{name}}</li>{{/data.items}}</ul>'), false);
  assert.equal(uses('{{data.user}} {{users}} {{username}}'), false);
  assert.equal(uses('{{! the user is not shown here }}<p>x</p>'), false);
  assert.equal(uses('<b>x</b>', ['data.user.name', 'usernames.length > 0', 'context.$user']), false);
});
