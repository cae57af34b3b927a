import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentBaseId } from '../../../server/render/component-id.js';
import { input, rendererFor } from './fixture.js';

test('parsed templates are cached per file, never per rendered output (D13)', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'layout.html': '<html><head><title>{{globals.appName}}</title></head><body><atom-inject into="pageContent"/></body></html>',
      'page.html': '<ul>{{#data.items}}<li atom-if="n % 2">{{n}}</li>{{/data.items}}</ul><atom-inject into="side"/>',
      'side.html': '<aside>{{data.label}}</aside>',
    },
    { layout: 'layout.html', page: 'page.html', side: 'side.html', alias: 'side.html' },
  );
  t.after(cleanup);
  const route = { layout: 'layout', inject: { pageContent: 'page', side: 'side' } };
  assert.equal(renderer.templateCacheSize(), 3);
  for (let i = 0; i < 500; i++) {
    const html = renderer.renderPage(route, input({ data: { label: `run ${i}`, items: [{ n: i }, { n: i + 1 }] } }));
    if (i === 499) assert.match(html, /<li>499<\/li><\/ul><aside [^>]*>run 499<\/aside>/);
  }
  renderer.renderComponent('alias', input({ data: { label: 'x' } }));
  assert.equal(renderer.templateCacheSize(), 3);
});

test('invalidate() re-reads the files', (t) => {
  const { renderer, fixture, cleanup } = rendererFor(
    { 'a.html': '<p>one</p>', 'a.css': 'p { color: red }' },
    { a: { template: 'a.html', style: 'a.css' } },
  );
  t.after(cleanup);
  const id = componentBaseId('a');
  assert.equal(renderer.renderComponent('a', input()).html, `<p data-component-id="${id}">one</p>`);
  fixture.write('a.html', '<p atom-if="data.show">two</p>');
  fixture.write('a.css', 'p { color: blue }');
  assert.equal(renderer.renderComponent('a', input()).html, `<p data-component-id="${id}">one</p>`);
  renderer.invalidate();
  const after = renderer.renderComponent('a', input({ data: { show: true } }));
  assert.equal(after.html, `<p data-component-id="${id}">two</p>`);
  assert.match(after.styles[0].css, /color: blue/);
  assert.equal(renderer.templateCacheSize(), 1);
});
