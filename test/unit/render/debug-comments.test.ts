import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../../server/render/debug-comment.js';
import { componentBaseId } from '../../../server/render/component-id.js';
import { input, rendererFor } from './fixture.js';

const app = { 'outer.html': '<div><atom-inject into="inner"/></div>', 'inner.html': '<p>{{user.name}}</p>' };
const components = { outer: 'outer.html', inner: 'inner.html' };

function commentsOf(html: string): unknown[] {
  return [...html.matchAll(/<!-- serverokey component context: (.*?) -->/g)].map((m) => JSON.parse(m[1]));
}

test('debug mode puts a redacted context comment before every component', (t) => {
  const { renderer, cleanup } = rendererFor(app, components, { debug: true });
  t.after(cleanup);
  const data = { note: 'a -- b --> c <!-- d', list: [{ apiToken: 't', keep: 1 }], nested: { clientSecret: 's' } };
  const user = { name: 'Ann', passwordHash: '$2b$xyz', password: 'p', role: 'cashier' };
  const req = input({ data, user, url: { pathname: '/x', query: { csrf: 'c', q: 'tea' } } });
  const { html } = renderer.renderComponent('outer', req, { inner: 'inner' });

  const body = html.replace(/<!--[\s\S]*?-->\n?/g, '');
  assert.equal(
    body,
    `<div data-component-id="${componentBaseId('outer')}"><p data-component-id="${componentBaseId('inner')}">Ann</p></div>`,
  );
  const comments = commentsOf(html);
  assert.equal(comments.length, 2);
  assert.ok(html.startsWith('<!-- serverokey component context: '));
  const inner = html.indexOf('<p ');
  assert.ok(html.lastIndexOf('<!-- serverokey', inner) > html.indexOf('<div '), 'the child comment sits right before the child');
  for (const comment of comments) {
    assert.deepEqual(comment, {
      component: (comment as { component: string }).component,
      id: (comment as { id: string }).id,
      data: { note: 'a -- b --> c <!-- d', list: [{ apiToken: '[redacted]', keep: 1 }], nested: { clientSecret: '[redacted]' } },
      user: { name: 'Ann', passwordHash: '[redacted]', password: '[redacted]', role: 'cashier' },
      url: { pathname: '/x', query: { csrf: '[redacted]', q: 'tea' } },
    });
  }
  // nothing inside a comment can close it early
  for (const match of html.matchAll(/<!--([\s\S]*?)-->/g)) {
    assert.doesNotMatch(match[1], /--|<|>/);
  }
  assert.doesNotMatch(html, /\$2b\$xyz/);
});

test('no debug comments outside debug mode', (t) => {
  const { renderer, cleanup } = rendererFor(app, components);
  t.after(cleanup);
  assert.doesNotMatch(renderer.renderComponent('outer', input({ user: { name: 'A' } }), { inner: 'inner' }).html, /<!--/);
});

test('redaction walks arrays and nested objects and survives cycles', () => {
  const cyclic: Record<string, unknown> = { token: 'x', ok: 1 };
  cyclic.self = cyclic;
  assert.deepEqual(redactSecrets(cyclic), { token: '[redacted]', ok: 1, self: '[circular]' });
  assert.deepEqual(redactSecrets([{ CSRFToken: 1, Hash: 2, n: [3] }]), [{ CSRFToken: '[redacted]', Hash: '[redacted]', n: [3] }]);
});

test('in debug mode a full page marks its body and starts with the layout comment before the doctype', (t) => {
  const { renderer, cleanup } = rendererFor(
    { 'layout.html': '<!DOCTYPE html><html><head></head><body class="x"><atom-inject into="pageContent"/></body></html>', ...app },
    { layout: 'layout.html', ...components },
    { debug: true },
  );
  t.after(cleanup);
  const html = renderer.renderPage({ layout: 'layout', inject: { pageContent: 'inner' } }, input({ user: { name: 'A' } }));
  assert.match(html, /^<!-- serverokey component context: \{"component":"layout"[^\n]*-->\n<!DOCTYPE html>/);
  assert.ok(html.includes('<body data-debug-mode="true" class="x">'), html);
  assert.equal(commentsOf(html).length, 2);
});
