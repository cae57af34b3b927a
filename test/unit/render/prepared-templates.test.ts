// Templates prepared once per file: component ids and atom-run markers written into the Mustache source,
// placeholders filled after the Mustache pass, and the per-render fallback for what cannot be prepared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentBaseId } from '../../../server/render/component-id.js';
import { finishTemplateMarkup, type MarkupMarkers } from '../../../server/render/template-markup.js';
import { input, rendererFor } from './fixture.js';

const idOf = (name: string, n = 1) => `data-component-id="${componentBaseId(name)}${n > 1 ? `-${n}` : ''}"`;
const markers: MarkupMarkers = {
  id: '{{{__atomComponentId}}}',
  runOpen: '<!--open-->',
  runBody: '<!--body-->',
  runEnd: '<!--end-->',
  runClose: '<!--close-->',
};
const ID = 'data-component-id="{{{__atomComponentId}}}"';

test('preparation puts the component-id tag on every top-level element, and only there', () => {
  assert.equal(
    finishTemplateMarkup('<p>{{a}}</p>text<span class="s"><i>x</i></span><!--c-->', markers),
    `<p ${ID}>{{a}}</p>text<span class="s" ${ID}><i>x</i></span><!--c-->`,
  );
  // sections that hold whole elements are kept as they are
  assert.equal(
    finishTemplateMarkup('<ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>', markers),
    `<ul ${ID}>{{#items}}<li>{{.}}</li>{{/items}}</ul>`,
  );
});

test('preparation frames <script atom-run> with the run markers', () => {
  assert.equal(
    finishTemplateMarkup('<div><script atom-run>go({{n}})</script><script>plain()</script></div>', markers),
    `<div ${ID}><!--open--><script atom-run><!--body-->go({{n}})<!--end--></script><!--close--><script>plain()</script></div>`,
  );
});

test('templates that cannot be finished in advance are left to the per-render pass', () => {
  assert.equal(finishTemplateMarkup('{{=<% %>=}}<p><%a%></p>', markers), null, 'changed delimiters');
  assert.equal(finishTemplateMarkup('{{#a}}<div>{{/a}}</div>', markers), null, 'a section cutting across an element');
  assert.equal(finishTemplateMarkup('<ul>{{#items}}<li>{{name}}{{/items}}</ul>', markers), null, 'an element closed by its section end');
  assert.equal(finishTemplateMarkup('<p>\uE0000\uE001</p>', markers), null, 'the token characters in the source');
});

test('rendered output of a prepared template: ids per top-level element and per instance', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'multi.html': '<p>{{data.a}}</p>\n<section><p>inner</p></section>',
      'page.html': '<div><atom-inject into="one"/><atom-inject into="two"/></div>',
    },
    { multi: 'multi.html', page: 'page.html' },
  );
  t.after(cleanup);
  assert.equal(
    renderer.renderComponent('multi', input({ data: { a: 'x' } })).html,
    `<p ${idOf('multi')}>x</p>\n<section ${idOf('multi')}><p>inner</p></section>`,
  );
  assert.equal(
    renderer.renderComponent('page', input({ data: { a: 'y' } }), { one: 'multi', two: 'multi' }).html,
    `<div ${idOf('page')}>` +
      `<p ${idOf('multi')}>y</p>\n<section ${idOf('multi')}><p>inner</p></section>` +
      `<p ${idOf('multi', 2)}>y</p>\n<section ${idOf('multi', 2)}><p>inner</p></section>` +
      '</div>',
  );
});

test('placeholders are spliced after the Mustache pass: child output is never rendered again', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'parent.html': '<section><h1>{{data.t}}</h1><atom-inject into="kid"/></section><footer>f</footer>',
      'kid.html': '<i>{{{data.raw}}}</i>',
      'list.html': '<ul>{{#data.items}}<li>{{name}}<atom-inject into="kid"/></li>{{/data.items}}</ul>',
    },
    { parent: 'parent.html', kid: 'kid.html', list: 'list.html' },
  );
  t.after(cleanup);
  const raw = '{{data.t}} $& $1 <atom-inject into="kid"/>';
  assert.equal(
    renderer.renderComponent('parent', input({ data: { t: 'T', raw } }), { kid: 'kid' }).html,
    `<section ${idOf('parent')}><h1>T</h1><i ${idOf('kid')}>${raw}</i></section><footer ${idOf('parent')}>f</footer>`,
  );
  // a placeholder inside a loop is filled once per item, each fill a new instance
  assert.equal(
    renderer.renderComponent('list', input({ data: { raw: 'k', items: [{ name: 'a' }, { name: 'b' }] } }), { kid: 'kid' }).html,
    `<ul ${idOf('list')}><li>a<i ${idOf('kid')}>k</i></li><li>b<i ${idOf('kid', 2)}>k</i></li></ul>`,
  );
});

test('a section cutting across an element still renders correctly (fallback path)', (t) => {
  const { renderer, cleanup } = rendererFor({ 'cut.html': '{{#data.a}}<div>{{/data.a}}</div><p>{{data.t}}</p>' }, { cut: 'cut.html' });
  t.after(cleanup);
  assert.equal(
    renderer.renderComponent('cut', input({ data: { a: true, t: 'x' } })).html,
    `<div ${idOf('cut')}></div><p ${idOf('cut')}>x</p>`,
  );
  assert.equal(renderer.renderComponent('cut', input({ data: { a: false, t: 'y' } })).html, `<p ${idOf('cut')}>y</p>`);
});

test('changed delimiters still render correctly (fallback path)', (t) => {
  const { renderer, cleanup } = rendererFor(
    { 'delim.html': '{{=<% %>=}}<p class="<%data.c%>"><%data.t%></p><em>{{kept}}</em>' },
    { delim: 'delim.html' },
  );
  t.after(cleanup);
  assert.equal(
    renderer.renderComponent('delim', input({ data: { c: 'k', t: 'hi' } })).html,
    `<p class="k" ${idOf('delim')}>hi</p><em ${idOf('delim')}>{{kept}}</em>`,
  );
});

test('<script atom-run> is extracted from fragments on both paths and kept in full pages', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'layout.html': '<html><head></head><body><atom-inject into="pageContent"/></body></html>',
      'ready.html': '<p>a</p><p atom-if="data.show">b</p><script atom-run>ready({{data.n}})</script>',
      'cut.html': '{{#data.show}}<div>{{/data.show}}<script atom-run>cut({{data.n}})</script></div>',
    },
    { layout: 'layout.html', ready: 'ready.html', cut: 'cut.html' },
  );
  t.after(cleanup);
  const ready = renderer.renderComponent('ready', input({ data: { show: true, n: 1 } }));
  assert.equal(ready.html, `<p ${idOf('ready')}>a</p><p ${idOf('ready')}>b</p>`);
  assert.deepEqual(ready.scripts, ['ready(1)']);

  const cut = renderer.renderComponent('cut', input({ data: { show: true, n: 2 } }));
  assert.equal(cut.html, `<div ${idOf('cut')}></div>`);
  assert.deepEqual(cut.scripts, ['cut(2)']);

  const page = renderer.renderPage({ layout: 'layout', inject: { pageContent: 'ready' } }, input({ data: { show: false, n: 3 } }));
  assert.equal(
    page,
    `<html ${idOf('layout')}><head></head><body><p ${idOf('ready')}>a</p><script atom-run>ready(3)</script></body></html>`,
  );
});
