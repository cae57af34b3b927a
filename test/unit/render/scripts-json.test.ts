import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentBaseId } from '../../../server/render/component-id.js';
import { safeJson } from '../../../server/render/index.js';
import { input, rendererFor } from './fixture.js';

const idOf = (name: string) => `data-component-id="${componentBaseId(name)}"`;

const app = {
  'layout.html': '<html><head></head><body><atom-inject into="pageContent"/></body></html>',
  'page.html':
    '<div><script atom-run>first({{#asJSON}}data.n{{/asJSON}})</script><atom-inject into="kid"/>' +
    '<script>plain()</script><script atom-run="">last()</script></div>',
  'kid.html': '<p>kid</p><script atom-run>kid()</script>',
};
const components = { layout: 'layout.html', page: 'page.html', kid: 'kid.html' };
const inject = { pageContent: 'page', kid: 'kid' };

test('atom-run scripts are extracted from fragments in document order and removed from the html', (t) => {
  const { renderer, cleanup } = rendererFor(app, components);
  t.after(cleanup);
  const result = renderer.renderComponent('page', input({ data: { n: 1 } }), inject);
  assert.deepEqual(result.scripts, ['first(1)', 'kid()', 'last()']);
  assert.equal(result.html, `<div ${idOf('page')}><p ${idOf('kid')}>kid</p><script>plain()</script></div>`);
});

test('atom-run scripts are extracted from SPA payloads and left in place in full pages', (t) => {
  const { renderer, cleanup } = rendererFor(app, components);
  t.after(cleanup);
  const spa = renderer.renderSpa({ layout: 'layout', inject }, input({ data: { n: 2 } }));
  assert.deepEqual(spa.scripts, ['first(2)', 'kid()', 'last()']);
  assert.doesNotMatch(spa.injectedParts.pageContent, /atom-run/);

  const page = renderer.renderPage({ layout: 'layout', inject }, input({ data: { n: 3 } }));
  assert.ok(page.includes('<script atom-run>first(3)</script>'), page);
  assert.ok(page.includes('<script atom-run>kid()</script>'), page);
  assert.ok(page.includes('<script atom-run>last()</script>'), page);
});

test('asJSON prints the JSON at a path, raw, with <, >, &, U+2028 and U+2029 escaped', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'j.html':
        '<script atom-run>var r = {{#asJSON}} data.receipt {{/asJSON}}; var m = {{#asJSON}}data.missing{{/asJSON}};' +
        ' var rows = [{{#data.rows}}{{#asJSON}}.{{/asJSON}},{{#asJSON}}label{{/asJSON}};{{/data.rows}}]</script>',
    },
    { j: 'j.html' },
  );
  t.after(cleanup);
  const receipt = { note: '</script><b>&"\'\u2028\u2029', total: 5 };
  const { scripts, html } = renderer.renderComponent('j', input({ data: { receipt, rows: [{ label: 'a<b' }] } }));
  assert.equal(html, '');
  assert.equal(
    scripts[0],
    'var r = {"note":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\"\'\\u2028\\u2029","total":5}; var m = null;' +
      ' var rows = [{"label":"a\\u003cb"},"a\\u003cb";]',
  );
  assert.deepEqual(JSON.parse(safeJson(receipt)), receipt);
});

test('asJSON in a full page context is also usable as a plain function', () => {
  assert.equal(safeJson(undefined), 'null');
  assert.equal(safeJson('<&>'), '"\\u003c\\u0026\\u003e"');
});
