import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopeCss } from '../../../server/render/scoped-css.js';
import { componentBaseId } from '../../../server/render/component-id.js';
import { input, rendererFor } from './fixture.js';

const S = '[data-component-id|="c-1"]';
function scope(css: string): { css: string; warnings: string[] } {
  const warnings: string[] = [];
  return { css: scopeCss(css, 'c-1', 'test.css', (m) => warnings.push(m)), warnings };
}

test('plain selectors get the component id as ancestor', () => {
  assert.equal(scope('h3 { color: red }').css, `${S} h3 { color: red }`);
  assert.equal(scope('.a > b, ul li{x:y}').css, `${S} .a > b, ${S} ul li{x:y}`);
});

test(':host becomes the id selector wherever it appears', () => {
  assert.equal(scope(':host { display: block }').css, `${S} { display: block }`);
  assert.equal(scope(':host:hover h3 {}').css, `${S}:hover h3 {}`);
  assert.equal(scope('.theme-dark :host p {}').css, `.theme-dark ${S} p {}`);
});

test(':host(.active) becomes a compound selector', () => {
  assert.equal(scope(':host(.active) { color: red }').css, `${S}.active { color: red }`);
  assert.equal(scope(':host(.a.b[data-x="1"]) > li {}').css, `${S}.a.b[data-x="1"] > li {}`);
});

test('rules inside @media and @supports are scoped; nested @media too', () => {
  const css = '@media (max-width: 600px) { h3 { a: b } @supports (display: grid) { :host { c: d } } }';
  assert.equal(scope(css).css, `@media (max-width: 600px) { ${S} h3 { a: b } @supports (display: grid) { ${S} { c: d } } }`);
});

test('@keyframes steps and @font-face are untouched, keyframe names too', () => {
  const css =
    '@keyframes pulse { from { opacity: 0 } 50% { opacity: .5 } to { opacity: 1 } }\n' +
    '@-webkit-keyframes pulse { from { opacity: 0 } }\n' +
    '@font-face { font-family: X; src: url(x.woff2) }\n' +
    '.dot { animation: pulse 1s }';
  assert.equal(
    scope(css).css,
    '@keyframes pulse { from { opacity: 0 } 50% { opacity: .5 } to { opacity: 1 } }\n' +
      '@-webkit-keyframes pulse { from { opacity: 0 } }\n' +
      '@font-face { font-family: X; src: url(x.woff2) }\n' +
      `${S} .dot { animation: pulse 1s }`,
  );
});

test('commas inside :is(), :where() and :not() stay in one selector', () => {
  assert.equal(scope(':is(h3, h4) span, :where(.a, .b) {}').css, `${S} :is(h3, h4) span, ${S} :where(.a, .b) {}`);
  assert.equal(scope(':host:not(.a, .b) {}').css, `${S}:not(.a, .b) {}`);
});

test('html, body and :root are scoped like any selector', () => {
  assert.equal(scope('html, body, :root { margin: 0 }').css, `${S} html, ${S} body, ${S} :root { margin: 0 }`);
});

test('an invalid stylesheet gives a warning and no CSS, never the unscoped original', (t) => {
  const { renderer, log, cleanup } = rendererFor(
    { 'x.html': '<p>x</p>', 'x.css': 'p { color: red' + '\n}}} .{' },
    { x: { template: 'x.html', style: 'x.css' } },
  );
  t.after(cleanup);
  assert.equal(log.warnings.length, 1);
  assert.match(log.warnings[0], /x\.css is not valid CSS/);
  assert.deepEqual(renderer.renderComponent('x', input()).styles, []);
});

test('the renderer scopes with the stable component id and reuses the result', (t) => {
  const { renderer, cleanup } = rendererFor(
    { 'x.html': '<p>x</p>', 'x.css': ':host(.on) { color: red }' },
    { x: { template: 'x.html', style: 'x.css' } },
  );
  t.after(cleanup);
  const id = componentBaseId('x');
  const one = renderer.renderComponent('x', input()).styles;
  const two = renderer.renderComponent('x', input({ data: { y: 1 } })).styles;
  assert.deepEqual(one, [{ name: 'x', id, css: `[data-component-id|="${id}"].on { color: red }` }]);
  assert.deepEqual(two, one);
});
