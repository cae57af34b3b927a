import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentBaseId } from '../../../server/render/component-id.js';
import { input, rendererFor } from './fixture.js';

const idOf = (name: string) => `data-component-id="${componentBaseId(name)}"`;

function renderOne(t: { after(fn: () => void): void }, template: string, data: Record<string, unknown>, options = {}) {
  const ctx = rendererFor({ 'c.html': template }, { c: 'c.html' }, options);
  t.after(ctx.cleanup);
  return { html: ctx.renderer.renderComponent('c', input({ data })).html, ctx };
}

test('atom-if true keeps the element without the attribute; false removes it with its subtree', (t) => {
  const { html } = renderOne(
    t,
    '<div><p atom-if="data.on" class="yes">shown <b>bold</b></p><p class="no" atom-if=\'!data.on\'>hidden <i>x</i></p></div>',
    { on: true },
  );
  assert.equal(html, `<div ${idOf('c')}><p class="yes">shown <b>bold</b></p></div>`);
});

test('atom-if sees the items of an enclosing Mustache loop (D8)', (t) => {
  const { html } = renderOne(
    t,
    '<ul>{{#data.items}}<li atom-if="price > data.min">{{name}}</li>{{/data.items}}</ul>',
    { min: 10, items: [{ name: 'cheap', price: 5 }, { name: 'dear', price: 20 }, { name: 'also', price: 11 }] },
  );
  assert.equal(html, `<ul ${idOf('c')}><li>dear</li><li>also</li></ul>`);
});

test('entities in the attribute are decoded: &amp;&amp; is &&', (t) => {
  const { html } = renderOne(t, '<div><i atom-if="data.a &amp;&amp; data.b">both</i><i atom-if="data.a &amp;&amp; !data.b">one</i></div>', {
    a: true,
    b: true,
  });
  assert.equal(html, `<div ${idOf('c')}><i>both</i></div>`);
});

test('a global whose key is not an identifier does not disable atom-if', (t) => {
  const { html } = renderOne(t, '<p><b atom-if="data.flag">{{app-name}}</b></p>', { flag: true }, { globals: { 'app-name': 'Kassa' } });
  assert.equal(html, `<p ${idOf('c')}><b>Kassa</b></p>`);
});

test('atom-if can read url and extra values on every render path (one context, D6)', (t) => {
  const ctx = rendererFor(
    { 'c.html': '<p><b atom-if="url.query.error">{{url.query.error}}</b><i atom-if="terminal.id === \'T1\'">t</i></p>' },
    { c: 'c.html' },
  );
  t.after(ctx.cleanup);
  const req = input({ url: { pathname: '/login', query: { error: 'bad' } }, extra: { terminal: { id: 'T1' } } });
  assert.equal(ctx.renderer.renderComponent('c', req).html, `<p ${idOf('c')}><b>bad</b><i>t</i></p>`);
  assert.equal(
    ctx.renderer.renderSpa({ layout: 'c', inject: { pageContent: 'c' } }, req).injectedParts.pageContent,
    `<p ${idOf('c')}><b>bad</b><i>t</i></p>`,
  );
});

test('a failing expression removes the element and warns in debug mode with file and expression', (t) => {
  const template = '<div><p atom-if="data.missing.deep">a</p><p atom-if="nosuchname">b</p><p>c</p></div>';
  const quiet = renderOne(t, template, {});
  assert.equal(quiet.html, `<div ${idOf('c')}><p>c</p></div>`);
  assert.deepEqual(quiet.ctx.log.warnings, []);

  const loud = renderOne(t, template, {}, { debug: true });
  assert.equal(loud.html.replace(/<!--[\s\S]*?-->\n/, ''), `<div ${idOf('c')}><p>c</p></div>`);
  assert.ok(loud.ctx.log.warnings.length >= 1, loud.ctx.log.lines.join('\n'));
  for (const warning of loud.ctx.log.warnings) assert.match(warning, /c\.html/);
  assert.ok(loud.ctx.log.warnings.some((w) => w.includes('atom-if="nosuchname"')), loud.ctx.log.warnings.join('\n'));
});

test('an expression that does not compile is reported at start-up and never renders', (t) => {
  const { html, ctx } = renderOne(t, '<div><p atom-if="{{data.count}} > 0">x</p><p atom-if="data.a +">y</p>z</div>', { count: 3 });
  assert.equal(html, `<div ${idOf('c')}>z</div>`);
  assert.equal(ctx.log.warnings.length, 2);
  assert.match(ctx.log.warnings[0], /atom-if="\{\{data\.count\}\} > 0" in .*c\.html is not a valid expression/);
  assert.match(ctx.log.warnings[0], /Mustache tags are not evaluated inside atom-if/);
  assert.match(ctx.log.warnings[1], /atom-if="data\.a \+" in .*c\.html is not a valid expression/);
  assert.doesNotMatch(ctx.log.warnings[1], /Mustache/);
});

test('nested conditions, implied end tags, void elements and placeholders with atom-if', (t) => {
  const ctx = rendererFor(
    {
      'c.html':
        '<div atom-if="data.outer"><span atom-if="data.inner">in</span>out</div>' +
        '<ul><li atom-if="data.a">A<li atom-if="data.b">B<li>C</ul>' +
        '<p>x<br atom-if="data.a">y<hr atom-if="data.b"/>z</p>' +
        '<section><atom-inject into="kid" atom-if="data.a"></atom-inject><atom-inject atom-if="data.b" into="kid"/></section>' +
        '{{! <p atom-if="data.b">in a mustache comment</p> }}<em>end</em>',
      'kid.html': '<b>kid</b>',
    },
    { c: 'c.html', kid: 'kid.html' },
  );
  t.after(ctx.cleanup);
  const html = ctx.renderer.renderComponent('c', input({ data: { outer: true, inner: false, a: true, b: false } }), { kid: 'kid' }).html;
  const id = idOf('c');
  assert.equal(
    html,
    `<div ${id}>out</div><ul ${id}><li>A</li><li>C</li></ul><p ${id}>x<br>yz</p>` +
      `<section ${id}><b ${idOf('kid')}>kid</b></section><em ${id}>end</em>`,
  );
});

test('atom-if walks loop frames outward, innermost first', (t) => {
  const { html } = renderOne(
    t,
    '<p>{{#data.groups}}{{#rows}}<i atom-if="ok && open && kind === \'x\'">{{label}}</i>{{/rows}}{{/data.groups}}</p>',
    {
      kind: 'ignored',
      groups: [
        { open: true, kind: 'x', rows: [{ ok: true, label: 'one' }, { ok: false, label: 'two' }] },
        { open: false, kind: 'x', rows: [{ ok: true, label: 'three' }] },
        { open: true, kind: 'y', rows: [{ ok: true, label: 'four', kind: 'x' }] },
      ],
    },
  );
  assert.equal(html, `<p ${idOf('c')}><i>one</i><i>four</i></p>`);
});

test('atom-if cannot reach prototype members through the scope', (t) => {
  const { html } = renderOne(t, '<p><b atom-if="constructor">a</b><b atom-if="toString">b</b><b atom-if="hasOwnProperty">c</b>d</p>', {});
  assert.equal(html, `<p ${idOf('c')}>d</p>`);
});
