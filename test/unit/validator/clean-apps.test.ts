// No false positives: apps that are right must validate without a single finding, including the
// constructs the original validator got wrong (arrow parameters, loop variables, typeof, names of
// Mustache section items in atom-if, data an internal route gets from its callers).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { createNewApp } from '../../../server/dev/new-app.js';
import { formatFinding, validateApp } from '../../../server/validator/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function findingsOf(appDir: string): Promise<string[]> {
  const { findings } = await validateApp(appDir);
  return findings.map((f) => formatFinding(f));
}

async function tempDir(t: test.TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-validator-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function writeApp(dir: string, files: Record<string, string>): Promise<void> {
  for (const [relative, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), text);
  }
}

test('the original kassa example (test/fixtures/original-kassa) has no findings', async () => {
  assert.deepEqual(await findingsOf(path.join(root, 'test/fixtures/original-kassa')), []);
});

test('the app made by `serverokey new` has no findings', async (t) => {
  const dir = path.join(await tempDir(t), 'notes');
  await createNewApp(dir);
  assert.deepEqual(await findingsOf(dir), []);
});

const TRICKY_MANIFEST = `module.exports = {
  globals: { appName: 'Shop', currency: 'EUR' },
  connectors: {
    session: { type: 'lowdb' },
    users: { type: 'lowdb', initialState: { items: [] } },
    products: { type: 'lowdb', initialState: { items: [{ id: 1, name: 'Tea', price: 250, stock: 3 }] } },
    cart: { type: 'lowdb', scope: 'terminal', initialState: { items: [], total: 0 } },
    sales: { type: 'journal' },
  },
  auth: { userConnector: 'users', identityField: 'login', passwordField: 'passwordHash', protectByDefault: true },
  sockets: { 'cart-ch': { watch: 'cart', emit: { event: 'cart-changed', payload: ['items', 'total'] } } },
  http: { allowHosts: ['rates.example.com'] },
  components: {
    layout: 'layout.html',
    shop: { template: 'shop.html', style: 'shop.css', title: 'Shop' },
    cart: 'cart.html',
    login: 'login.html',
  },
  routes: {
    'GET /': { type: 'view', layout: 'layout', reads: ['products', 'cart'], inject: { pageContent: 'shop', cart: 'cart' } },
    'GET /login': { type: 'view', layout: 'layout', public: true, inject: { pageContent: 'login' } },
    'POST /auth/login': {
      type: 'action',
      public: true,
      reads: ['users'],
      steps: [
        { set: 'context.user', to: 'data.users.items.find(u => u.login === body.login)' },
        {
          if: "context.user && require('bcrypt').compareSync(String(body.password), context.user.passwordHash)",
          then: [{ 'auth:login': 'context.user' }, { 'client:redirect': "({ url: '/', full: true })" }],
          else: [{ 'client:redirect': "'/login?error=1'" }],
        },
      ],
    },
    'GET /auth/logout': { type: 'action', steps: [{ 'auth:logout': true }, { 'client:redirect': '/login' }] },
    'POST /cart/add': {
      type: 'action',
      reads: ['products', 'cart'],
      writes: ['cart'],
      update: 'cart',
      steps: [
        { set: 'context.qty', to: "typeof body.qty === 'string' ? Number(body.qty) : 1" },
        { set: 'context.product', to: 'data.products.items.find(p => p.id == body.id)' },
        { if: '!context.product', then: [{ fail: '\`No product \${body.id}\`', status: 404 }] },
        { set: 'data.cart.items', to: 'data.cart.items.concat([{ ...context.product, qty: context.qty }])' },
        { forEach: 'data.cart.items', as: 'line', steps: [{ set: 'line.position', to: 'lineIndex + 1' }] },
        { forEach: 'data.cart.items', steps: [{ set: 'item.seen', to: 'true' }] },
        { 'action:run': { name: 'recalc' } },
      ],
    },
    recalc: {
      type: 'action',
      internal: true,
      steps: [{ set: 'data.cart.total', to: 'data.cart.items.reduce((sum, { price, qty }) => sum + price * qty, 0)' }],
    },
    'POST /cart/checkout': {
      type: 'action',
      reads: ['cart', 'sales'],
      writes: ['cart', 'sales'],
      update: 'cart',
      steps: [
        { 'http:get': { url: '\`https://rates.example.com/\${query.currency || "EUR"}\`', saveTo: 'context.rate' } },
        { set: 'data.sales.items', to: 'data.sales.items.concat([{ total: data.cart.total, at: Date.now(), by: user && user.login, till: terminal && terminal.id }])' },
        { set: 'data.cart', to: '({ items: [], total: 0 })' },
      ],
    },
    'POST /cart/refresh': { type: 'action', reads: ['cart'], update: 'cart', steps: [] },
  },
  launch: { mode: 'server', window: { title: 'Shop' } },
};
`;

test('valid but tricky constructs give no findings', async (t) => {
  const dir = await tempDir(t);
  await writeApp(dir, {
    'package.json': '{ "type": "commonjs" }\n',
    'manifest.js': TRICKY_MANIFEST,
    'app/components/layout.html': `<!DOCTYPE html>
<html><head><title>{{globals.appName}}</title></head>
<body>
  <header atom-if="user &amp;&amp; user.login">{{user.login}} <a href="/auth/logout" atom-action="GET /auth/logout">Log out</a></header>
  <p atom-if="currency === 'EUR' && csrfToken && (terminal === null || typeof terminal === 'object')">Prices in {{currency}}</p>
  {{! <div atom-action="POST /commented-out" atom-target="#nowhere"></div> }}
  <main id="pageContent-container"><atom-inject into="pageContent"></atom-inject></main>
</body></html>
`,
    'app/components/shop.html': `<div class="shop">
  <ul>
  {{#data.products.items}}
    <li id="row-{{id}}">{{name}} {{#money}}{{price}}{{/money}}
      <button name="id" value="{{id}}" atom-if="stock > 0 && !hidden" atom-action="POST /cart/add" atom-target="#cart-container">Add</button>
      <button atom-action="POST /cart/refresh" atom-target="#row-{{id}}">Refresh row</button>
    </li>
  {{/data.products.items}}
  </ul>
  <button atom-action="POST /cart/refresh" atom-target="#row-1">Refresh the first row</button>
  <section id="cart-container"><atom-inject into="cart" /></section>
  <a href="/login?from=shop" atom-link="spa">Login page</a>
</div>
`,
    'app/components/shop.css': ':host { display: grid; }\n:host(.wide) li { padding: 2px; }\n@keyframes pulse { from { opacity: 0; } to { opacity: 1; } }\n',
    'app/components/cart.html': `<div atom-socket="cart-ch" atom-on-event="cart-changed" atom-action="POST /cart/refresh" atom-target="#cart-container">
  {{#data.cart.items}}<p atom-if="qty > 1">{{name}} × {{qty}}</p>{{/data.cart.items}}
  {{^data.cart.items}}<p>Empty</p>{{/data.cart.items}}
  <form atom-action="POST /cart/checkout" atom-target="#cart-container" atom-confirm="Pay now?"><button>Pay</button></form>
</div>
`,
    'app/components/login.html': `<form atom-action="POST /auth/login" atom-target="#pageContent-container">
  <p atom-if="url.query.error">Wrong login</p>
  <input name="login"><input name="password" type="password" atom-event="input" atom-debounce="200"><button>Log in</button>
</form>
`,
  });
  assert.deepEqual(await findingsOf(dir), []);
});

test('apps/kassa validates with zero errors and zero warnings', { skip: !existsSync(path.join(root, 'apps/kassa/manifest.js')) && 'apps/kassa is not there yet' }, async () => {
  assert.deepEqual(await findingsOf(path.join(root, 'apps/kassa')), []);
});

test('apps/hq (sql steps, a channel that listens to PostgreSQL, exports from a query) validates with zero findings', async () => {
  assert.deepEqual(await findingsOf(path.join(root, 'apps/hq')), []);
});
