import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentBaseId } from '../../../server/render/component-id.js';
import { RenderError } from '../../../server/render/index.js';
import { input, rendererFor } from './fixture.js';

const files = {
  'layout.html':
    '<!DOCTYPE html>\n<html><head><title>{{globals.appName}}</title></head>\n' +
    '<body><main id="pageContent-container"><atom-inject into="pageContent"></atom-inject></main></body></html>\n',
  'page.html': `<section class="page"><h1>{{data.heading}}</h1><div id="list-container"><atom-inject into='list'/></div></section>`,
  'list.html': '<ul>{{#data.items}}<li>{{name}}</li>{{/data.items}}</ul><atom-inject into=footer data-x="1" />',
  'footer.html': '<footer>end of {{data.heading}}</footer>',
};
const components = { layout: 'layout.html', page: 'page.html', list: 'list.html', footer: 'footer.html' };
const inject = { pageContent: 'page', list: 'list', footer: 'footer' };

const idOf = (name: string) => `data-component-id="${componentBaseId(name)}"`;

test('a layout renders three levels of placeholders, each child inside its own slot', (t) => {
  const { renderer, cleanup } = rendererFor(files, components);
  t.after(cleanup);
  const html = renderer.renderPage(
    { layout: 'layout', inject },
    input({ data: { heading: 'Menu', items: [{ name: 'Tea' }, { name: 'Cake' }] } }),
  );
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html '), html);
  assert.match(html, /<title>Serverokey<\/title>/);
  const expected =
    `<main id="pageContent-container"><section class="page" ${idOf('page')}><h1>Menu</h1>` +
    `<div id="list-container"><ul ${idOf('list')}><li>Tea</li><li>Cake</li></ul>` +
    `<footer ${idOf('footer')}>end of Menu</footer></div></section></main>`;
  assert.ok(html.includes(expected), html);
  assert.ok(html.includes(`<html ${idOf('layout')}>`), html);
  assert.doesNotMatch(html, /atom-inject/);
});

test('placeholders are recognised with any quoting, self-closing or not, attributes in any order', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'host.html':
        '<div>' +
        '[<atom-inject into="a"></atom-inject>]' +
        "[<atom-inject into='a'/>]" +
        '[<atom-inject into=a />]' +
        '[<atom-inject class="slot" into="a" ></atom-inject>]' +
        '[<ATOM-INJECT INTO="a"/>]' +
        '</div>',
      'a.html': '<b>A</b>',
    },
    { host: 'host.html', a: 'a.html' },
  );
  t.after(cleanup);
  const { html } = renderer.renderComponent('host', input(), { a: 'a' });
  const a = `<b ${idOf('a')}>A</b>`;
  const a2 = (n: number) => `<b data-component-id="${componentBaseId('a')}-${n}">A</b>`;
  assert.equal(html, `<div ${idOf('host')}>[${a}][${a2(2)}][${a2(3)}][${a2(4)}][${a2(5)}]</div>`);
});

test('a placeholder cycle is reported with the chain instead of recursing forever', (t) => {
  const { renderer, cleanup } = rendererFor(files, components);
  t.after(cleanup);
  assert.throws(
    () => renderer.renderPage({ layout: 'layout', inject: { pageContent: 'page', list: 'page' } }, input()),
    (error: unknown) =>
      error instanceof RenderError &&
      /cycle/i.test(error.message) &&
      error.message.includes('"page" -[list]-> "page"') &&
      error.message.includes('"layout" -[pageContent]->'),
  );
});

test('an unknown placeholder renders nothing and is logged in debug mode only', (t) => {
  const app = { 'box.html': '<div>before<atom-inject into="missing"></atom-inject>after</div>' };
  const quiet = rendererFor(app, { box: 'box.html' });
  t.after(quiet.cleanup);
  assert.equal(quiet.renderer.renderComponent('box', input()).html, `<div ${idOf('box')}>beforeafter</div>`);
  assert.deepEqual(quiet.log.warnings, []);

  const loud = rendererFor(app, { box: 'box.html' }, { debug: true });
  t.after(loud.cleanup);
  const { html } = loud.renderer.renderComponent('box', input());
  assert.match(html, /beforeafter/);
  assert.equal(loud.log.warnings.length, 1);
  assert.match(loud.log.warnings[0], /Placeholder "missing" in component "box"/);
});

test('data is never templated twice and $-patterns stay literal (D9, D10)', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'outer.html': '<div>{{{data.raw}}}<atom-inject into="inner"/></div>',
      'inner.html': '<p>{{data.note}}|{{{data.raw}}}</p>',
    },
    { outer: 'outer.html', inner: 'inner.html' },
  );
  t.after(cleanup);
  const data = { note: '{{user.name}}', raw: "$& $` $' $$ {{user.name}}" };
  const { html } = renderer.renderComponent('outer', input({ data, user: { name: 'Alice' } }), { inner: 'inner' });
  assert.doesNotMatch(html, /Alice/);
  assert.equal(
    html,
    `<div ${idOf('outer')}>$& $\` $' $$ {{user.name}}<p ${idOf('inner')}>{{user.name}}|$& $\` $' $$ {{user.name}}</p></div>`,
  );
});

test('every top-level element of a component gets its id; children keep theirs; ids are stable', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'multi.html': '<!-- note -->\n<atom-inject into="child"/>\n<h2>a</h2>\ntext\n<p>b</p><style>p{}</style><script>1</script>',
      'child.html': '<span>c</span>',
    },
    { multi: 'multi.html', child: 'child.html' },
  );
  t.after(cleanup);
  const first = renderer.renderComponent('multi', input(), { child: 'child' }).html;
  const second = renderer.renderComponent('multi', input({ data: { other: 1 } }), { child: 'child' }).html;
  assert.equal(first, second);
  assert.equal(
    first,
    `<!-- note -->\n<span ${idOf('child')}>c</span>\n<h2 ${idOf('multi')}>a</h2>\ntext\n<p ${idOf('multi')}>b</p>` +
      '<style>p{}</style><script>1</script>',
  );
  assert.match(componentBaseId('multi'), /^c-[0-9a-f]{8}$/);
  assert.notEqual(componentBaseId('multi'), componentBaseId('child'));
});

test('markup round-trips byte-faithfully apart from the added ids', (t) => {
  const source =
    `<div title='say "hi"' data-a="x &amp; y">a &amp; b &lt;c&gt; &nbsp;&#x41;` +
    '<script>if (a < b && c > d) { x = "</div>"; }</script>' +
    '<style>a > b { content: "&amp;" }</style>' +
    '<svg viewBox="0 0 10 10"><path d="M0 0"/></svg><input disabled value=""></div>';
  const { renderer, cleanup } = rendererFor({ 'raw.html': source }, { raw: 'raw.html' });
  t.after(cleanup);
  const { html } = renderer.renderComponent('raw', input());
  assert.equal(
    html,
    `<div title="say &quot;hi&quot;" data-a="x &amp; y" ${idOf('raw')}>a &amp; b &lt;c&gt; &nbsp;&#x41;` +
      '<script>if (a < b && c > d) { x = "</div>"; }</script>' +
      '<style>a > b { content: "&amp;" }</style>' +
      '<svg viewBox="0 0 10 10"><path d="M0 0"/></svg><input disabled value></div>',
  );
});

test('a component rendered twice in one page gets numbered instance ids and one style entry', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      'bar.html': '<div><atom-inject into="top"/><hr><atom-inject into="bottom"/></div>',
      'btn.html': '<button>ok</button>',
      'btn.css': 'button { color: red }',
    },
    { bar: 'bar.html', btn: { template: 'btn.html', style: 'btn.css' } },
  );
  t.after(cleanup);
  const result = renderer.renderComponent('bar', input(), { top: 'btn', bottom: 'btn' });
  const base = componentBaseId('btn');
  assert.ok(result.html.includes(`<button data-component-id="${base}">ok</button><hr>`), result.html);
  assert.ok(result.html.includes(`<button data-component-id="${base}-2">ok</button>`), result.html);
  assert.equal(result.styles.length, 1);
  assert.equal(result.styles[0].id, base);
  assert.equal(result.styles[0].css, `[data-component-id|="${base}"] button { color: red }`);
});

test('styles go before </head> in collection order: layout first, then children depth-first', (t) => {
  const { renderer, cleanup } = rendererFor(
    {
      ...files,
      'layout.css': ':host { margin: 0 }',
      'page.css': 'h1 { color: $& }',
      'footer.css': 'footer { color: blue }',
    },
    {
      layout: { template: 'layout.html', style: 'layout.css' },
      page: { template: 'page.html', style: 'page.css' },
      list: 'list.html',
      footer: { template: 'footer.html', style: 'footer.css' },
    },
  );
  t.after(cleanup);
  const html = renderer.renderPage({ layout: 'layout', inject }, input({ data: { items: [] } }));
  const tags = [
    `<style data-component-name="layout" id="style-for-${componentBaseId('layout')}">[data-component-id|="${componentBaseId('layout')}"] { margin: 0 }</style>`,
    `<style data-component-name="page" id="style-for-${componentBaseId('page')}">[data-component-id|="${componentBaseId('page')}"] h1 { color: $& }</style>`,
    `<style data-component-name="footer" id="style-for-${componentBaseId('footer')}">[data-component-id|="${componentBaseId('footer')}"] footer { color: blue }</style>`,
  ];
  assert.ok(html.includes(`<title>Serverokey</title>${tags.join('\n')}</head>`), html);
});

test('without </head> the style tags are appended to the document', (t) => {
  const { renderer, cleanup } = rendererFor(
    { 'bare.html': '<div>x</div>', 'bare.css': 'div { color: red }' },
    { bare: { template: 'bare.html', style: 'bare.css' } },
  );
  t.after(cleanup);
  const html = renderer.renderPage({ layout: 'bare' }, input());
  assert.ok(html.startsWith(`<div ${idOf('bare')}>x</div><style data-component-name="bare"`), html);
  assert.ok(html.endsWith('</style>'));
});

test('title chain: launch.window.title, then globals.appName, then Serverokey; globals stay intact', (t) => {
  const app = { 't.html': '<p>{{globals.appName}}|{{appName}}|{{globals.shop}}|{{shop}}</p>' };
  const cases: Array<[Record<string, unknown>, string | undefined, string]> = [
    [{ appName: 'Kassa', shop: 'S1' }, 'Window', 'Window|Kassa|S1|S1'],
    [{ appName: 'Kassa', shop: 'S1' }, undefined, 'Kassa|Kassa|S1|S1'],
    [{ shop: 'S1' }, undefined, 'Serverokey||S1|S1'],
  ];
  for (const [globals, windowTitle, expected] of cases) {
    const { renderer, cleanup } = rendererFor(app, { t: 't.html' }, { globals, windowTitle });
    t.after(cleanup);
    assert.equal(renderer.renderComponent('t', input()).html, `<p ${idOf('t')}>${expected}</p>`);
  }
});

test('SPA payload: pageContent with the route inject map, its title chain and the same context', (t) => {
  const app = { ...files, 'page.html': '<section>{{url.pathname}} {{csrfToken}} {{shop}}<atom-inject into="list"/></section>' };
  const titled = {
    layout: { template: 'layout.html', title: 'Layout title' },
    page: { template: 'page.html', title: 'Page title' },
    list: 'list.html',
    footer: 'footer.html',
  };
  const { renderer, cleanup } = rendererFor(app, titled, { globals: { shop: 'S1', appName: 'Kassa' } });
  t.after(cleanup);
  const req = input({ url: { pathname: '/menu', query: {} }, extra: { csrfToken: 'tok' }, data: { items: [{ name: 'Tea' }] } });
  const spa = renderer.renderSpa({ layout: 'layout', inject, title: 'Route title' }, req);
  assert.equal(spa.title, 'Page title');
  assert.ok(spa.injectedParts.pageContent.startsWith(`<section ${idOf('page')}>&#x2F;menu tok S1<ul `), spa.injectedParts.pageContent);
  assert.ok(spa.injectedParts.pageContent.includes('<footer '));
  assert.doesNotMatch(spa.injectedParts.pageContent, /<html|<title/);
  assert.deepEqual(spa.scripts, []);

  const untitled = rendererFor(app, { ...titled, page: 'page.html' }, { globals: { appName: 'Kassa' } });
  t.after(untitled.cleanup);
  assert.equal(untitled.renderer.renderSpa({ layout: 'layout', inject, title: 'Route title' }, req).title, 'Route title');
  assert.equal(untitled.renderer.renderSpa({ layout: 'layout', inject }, req).title, 'Layout title');
  const plain = rendererFor(app, components, { globals: { appName: 'Kassa' } });
  t.after(plain.cleanup);
  assert.equal(plain.renderer.renderSpa({ layout: 'layout', inject }, req).title, 'Kassa');
  assert.throws(() => plain.renderer.renderSpa({ layout: 'layout' }, req), /injects nothing at "pageContent"/);
});

test('renderComponent uses an empty inject map unless given one', (t) => {
  const { renderer, cleanup } = rendererFor(files, components);
  t.after(cleanup);
  const bare = renderer.renderComponent('list', input({ data: { items: [{ name: 'x' }] } }));
  assert.equal(bare.html, `<ul ${idOf('list')}><li>x</li></ul>`);
  const filled = renderer.renderComponent('list', input({ data: { items: [] } }), { footer: 'footer' });
  assert.equal(filled.html, `<ul ${idOf('list')}></ul><footer ${idOf('footer')}>end of </footer>`);
});

test('a missing component names the known ones and suggests the closest', (t) => {
  const { renderer, cleanup } = rendererFor(files, components);
  t.after(cleanup);
  assert.throws(
    () => renderer.renderComponent('lst', input()),
    (error: unknown) =>
      error instanceof RenderError &&
      error.message.includes('Unknown component "lst"') &&
      error.message.includes('Did you mean "list"?') &&
      error.message.includes('"footer"'),
  );
  assert.throws(
    () => renderer.renderPage({ layout: 'layout', inject: { pageContent: 'pag' } }, input()),
    /Unknown component "pag"\. Did you mean "page"\?/,
  );
});

test('a missing template fails createRenderer with its path; a missing style only warns', (t) => {
  assert.throws(
    () => rendererFor({ 'a.html': '<p>a</p>' }, { a: 'a.html', b: { template: 'nope/b.html' } }),
    (error: unknown) =>
      error instanceof RenderError && /Component "b"/.test(error.message) && /nope[\\/]b\.html/.test(error.message) && /ENOENT/.test(error.message),
  );
  assert.throws(
    () => rendererFor({}, { a: 'a.html', b: 'b.html' }),
    (error: unknown) =>
      error instanceof RenderError && /2 components cannot be loaded/.test(error.message) && /a\.html/.test(error.message) && /b\.html/.test(error.message),
  );
  const { renderer, log, cleanup } = rendererFor({ 'a.html': '<p>a</p>' }, { a: { template: 'a.html', style: 'a.css' } });
  t.after(cleanup);
  assert.equal(log.warnings.length, 1);
  assert.match(log.warnings[0], /cannot read its style .*a\.css/);
  assert.deepEqual(renderer.renderComponent('a', input()).styles, []);
});

test('a Mustache syntax error fails createRenderer naming the file', () => {
  assert.throws(() => rendererFor({ 'bad.html': '<p>{{#open}}x</p>' }, { bad: 'bad.html' }), /bad\.html: Mustache syntax error/);
});
