// A manifest in the original engine's exact shapes (CommonJS, split files, wise-json, bcrypt and zod in
// steps, an app/actions handler) runs unchanged and gives the numbers the original gave (spec §11.8), on
// files and on PostgreSQL alike (by configuration only: the host is given a database).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, allArrived } from '../helpers/http-client.js';
import { hostBackends } from '../helpers/postgres.js';

const appDir = path.join(fixtures, 'original-kassa');

for (const backend of hostBackends(after)) describe(`original-shaped kassa manifest${backend.label}`, { skip: backend.skip }, () => {
  let host: TestHost;
  let cashier: TestTerminal;

  before(async () => {
    // its launch.mode "server" would bind the LAN: these checks need only this machine
    host = await startHost(appDir, { lan: false, ...(await backend.options()) });
    const registrar = await new TestTerminal(host.url).open('/register');
    const reg = await registrar.action('/auth/register', { name: 'Иванов И.И.', login: 'kassir', password: '123' });
    assert.deepEqual(reg.body, { redirect: '/login?registered=true' });
    cashier = new TestTerminal(host.url);
    const login = await cashier.login('kassir', '123');
    assert.deepEqual(login.body, { redirect: { url: '/', full: true } });
  });
  after(() => host.stop());

  it('stores a bcrypt hash, never the password, and keeps it out of the page', async () => {
    const users = JSON.parse(await host.storedText('user'));
    const stored = (users.items ?? users)[0];
    assert.ok(bcrypt.compareSync('123', stored.passwordHash));
    const page = await cashier.get('/');
    assert.equal(page.status, 200);
    assert.match(page.text, /Иванов И\.И\. \(Кассир\)/);
    assert.doesNotMatch(page.text, /\$2[aby]\$/);
  });

  it('gives the receipt numbers of spec §11.8', async () => {
    await cashier.action('/action/clearReceipt');
    await cashier.action('/action/addItem', { id: '1' });
    await cashier.action('/action/addItem', { id: '3' });
    const added = await cashier.action('/action/addItem', { id: '3' });
    assert.equal(added.status, 200);
    assert.equal(added.body.componentName, 'receipt');
    assert.match(added.body.html, /class="count">3</);
    assert.match(added.body.html, /class="total">547</);
    assert.match(added.body.html, /class="discount">-54.7</);
    assert.match(added.body.html, /class="final">492.3</);

    const coupon = await cashier.action('/action/applyCoupon', { coupon_code: 'SALE15' });
    assert.match(coupon.body.html, /class="discount">-82.05</);
    assert.match(coupon.body.html, /class="final">464.95</);

    const bonus = await cashier.action('/action/applyBonus');
    assert.match(bonus.body.html, /class="discount">-109.4</);
    assert.match(bonus.body.html, /class="final">437.6</);
    const again = await cashier.action('/action/applyBonus');
    assert.match(again.body.html, /Бонус уже применён/);
  });

  it('removes one unit per click and validates itemId with zod (422, data unchanged)', async () => {
    const before = await host.storedText('receipt');
    const bad = await cashier.action('/action/removeItem', { itemId: 'abc' });
    assert.equal(bad.status, 422);
    assert.ok(bad.body.error.message);
    assert.equal(await host.storedText('receipt'), before);
    const removed = await cashier.action('/action/removeItem', { itemId: '3' });
    assert.match(removed.body.html, /Сыр Российский - 250.75 руб. \(x1\)/);
  });

  it('filters positions through an app/actions handler', async () => {
    const result = await cashier.action('/action/filterPositions', { query: 'мол' });
    assert.match(result.body.html, /Молоко/);
    assert.doesNotMatch(result.body.html, /Хлеб/);
  });

  it('applies connector migrations to stored items', async () => {
    const positions = JSON.parse(await host.storedText('positions'));
    assert.ok((positions.items ?? []).every((p: { active?: boolean }) => p.active === true));
  });

  it('wrong password redirects to /login?error=1 and the error note shows', async () => {
    const stranger = await new TestTerminal(host.url).open('/login');
    const wrong = await stranger.action('/auth/login', { login: 'kassir', password: 'nope' });
    assert.deepEqual(wrong.body, { redirect: '/login?error=1' });
    const spa = await stranger.get('/login?error=1', { 'X-Requested-With': 'ServerokeySPA' });
    assert.match(JSON.parse(spa.text).injectedParts.pageContent, /Неверный логин или пароль/);
  });

  it('notifies another terminal of receipt changes, never the initiator', async () => {
    const other = new TestTerminal(host.url);
    await other.login('kassir', '123');
    const mine = await cashier.socket();
    const theirs = await other.socket();
    assert.equal((await mine.subscribe('receipt-updates')).type, 'subscribed');
    assert.equal((await theirs.subscribe('receipt-updates')).type, 'subscribed');
    await cashier.action('/action/addItem', { id: '2' }, { socketId: mine.id });
    const event = await theirs.next((f) => f.event === 'receipt-changed');
    assert.equal(event.channel, 'receipt-updates');
    assert.ok(Array.isArray(event.payload.items));
    await allArrived(mine);
    assert.equal(mine.events('receipt-changed').length, 0);
    mine.close();
    theirs.close();
  });

  it('logout ends the session on the server', async () => {
    const t = new TestTerminal(host.url);
    await t.login('kassir', '123');
    const session = t.cookies.get('session_id')!;
    assert.equal((await t.get('/')).status, 200);
    const out = await t.action('GET /auth/logout');
    assert.deepEqual(out.body, { redirect: { url: '/login', full: true } });
    const replay = await t.replaySession('/', session);
    assert.equal(replay.status, 302);
    assert.equal(replay.headers.get('location'), '/login');
  });
});
