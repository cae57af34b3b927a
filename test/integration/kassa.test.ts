// apps/kassa keeps the original example's behaviour (spec §11) over real HTTP and WebSocket:
// login/register/logout, live search, add/remove lines, clear, coupons, the one-time bonus and the
// numbers of §11.8 — now exact kopecks shown with two decimals — and the quirks of §11.9 fixed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile, readdir } from 'node:fs/promises';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, allArrived } from '../helpers/http-client.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');

/** The text of the element with this class in a fragment, e.g. amount(html, 'final') → '492.30'. */
function field(html: string, className: string): string | undefined {
  return new RegExp(`class="${className}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

/** Every stored terminal receipt, to prove a refused action wrote nothing. */
async function storedReceipts(host: TestHost): Promise<string> {
  await host.flushed();
  const dir = path.join(host.dataDir, 'receipt');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length > 0, 'terminal receipts are stored under receipt/');
  return (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('\n');
}

/** Another window of the same terminal: same cookies (terminal, session), same CSRF token. */
function sameTerminal(of: TestTerminal): TestTerminal {
  const twin = new TestTerminal(of.baseUrl);
  for (const [k, v] of of.cookies) twin.cookies.set(k, v);
  twin.csrf = of.csrf;
  return twin;
}

describe('kassa: the original example’s behaviour', () => {
  let host: TestHost;
  let cashier: TestTerminal;

  before(async () => {
    host = await startHost(appDir);
    cashier = new TestTerminal(host.url);
    const login = await cashier.login('kassir', '123');
    assert.deepEqual(login.body, { redirect: { url: '/', full: true } });
  });
  after(() => host.stop());

  it('sends a visitor without a session to the login page, and shows the cashier after login', async () => {
    const stranger = new TestTerminal(host.url);
    const page = await stranger.get('/');
    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), '/login');
    const till = await cashier.get('/');
    assert.equal(till.status, 200);
    assert.match(till.text, /Иванов И\.И\.<\/b> \(Кассир\)/);
    assert.match(till.text, /id="scan-input"[^>]*atom-focus="home"/);
    assert.doesNotMatch(till.text, /\$2[aby]\$/, 'no password hash in the page');
    // the whole demo catalogue is listed with prices in rubles and kopecks
    assert.equal((till.text.match(/class="product"/g) ?? []).length >= 30, true);
    assert.match(till.text, /Сыр Российский<\/span><span class="barcode">4607000010211<\/span><span class="price">250.75 ₽/);
  });

  it('wrong password reloads /login?error=1 with the login kept (never the password), and the page says so', async () => {
    const t = await new TestTerminal(host.url).open('/login');
    const wrong = await t.action('/auth/login', { login: 'kassir', password: 'nope' });
    assert.deepEqual(wrong.body, { redirect: { url: '/login?error=1&login=kassir', full: true } });
    const again = await t.get('/login?error=1&login=kassir');
    assert.match(again.text, /id="login" value="kassir"/);
    assert.doesNotMatch(again.text, /nope/);
    const spa = await t.get('/login?error=1', { 'X-Requested-With': 'ServerokeySPA' });
    assert.match(JSON.parse(spa.text).injectedParts.pageContent, /Неверный логин или пароль/);
  });

  it('has open self-registration off: the manager creates accounts (kassa-staff.test.ts covers both)', async () => {
    const t = await new TestTerminal(host.url).open('/login');
    assert.equal((await t.get('/register')).status, 404);
    const refused = await t.action('/auth/register', { name: 'Сидоров С.С.', login: 'sidorov', password: 'secret' });
    assert.equal(refused.status, 404);
  });

  it('gives the numbers of spec §11.8 in exact kopecks, with two decimals', async () => {
    await cashier.action('/action/clearReceipt');
    await cashier.action('/action/addItem', { id: '1' });
    await cashier.action('/action/addItem', { id: '3' });
    const added = await cashier.action('/action/addItem', { id: '3' });
    assert.equal(added.status, 200);
    assert.equal(added.body.componentName, 'receipt');
    const html: string = added.body.html;
    assert.equal(field(html, 'count'), '3');
    assert.equal(field(html, 'total'), '547.00');
    assert.equal(field(html, 'discount'), '−54.70');
    assert.equal(field(html, 'final'), '492.30');
    assert.match(html, /Сыр Российский<\/span><span class="unit">250.75 ₽ × 2/);

    const coupon = await cashier.action('/action/applyCoupon', { coupon_code: 'SALE15' });
    assert.equal(field(coupon.body.html, 'discount'), '−82.05');
    assert.equal(field(coupon.body.html, 'final'), '464.95');
    assert.match(coupon.body.html, /Купон SALE15 применён/);

    const bonus = await cashier.action('/action/applyBonus');
    assert.equal(field(bonus.body.html, 'percent'), '20');
    assert.equal(field(bonus.body.html, 'discount'), '−109.40');
    assert.equal(field(bonus.body.html, 'final'), '437.60');
    const again = await cashier.action('/action/applyBonus');
    assert.match(again.body.html, /Бонус уже применён/);
    assert.equal(field(again.body.html, 'final'), '437.60');

    // the stored receipt holds integers only
    const page = await cashier.get('/');
    assert.match(page.text, /class="final">437.60</);
  });

  it('BIGSALE50 gives 50 %, keeps the bonus on top (the original dropped it); an unknown coupon is refused and the discount stays', async () => {
    const big = await cashier.action('/action/applyCoupon', { coupon_code: 'bigsale50' });
    assert.equal(field(big.body.html, 'percent'), '55', 'bonus stays applied');
    assert.equal(field(big.body.html, 'discount'), '−300.85');
    assert.equal(field(big.body.html, 'final'), '246.15');
    const before = await storedReceipts(host);
    const bad = await cashier.action('/action/applyCoupon', { coupon_code: 'FREE100' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.message, 'Купон «FREE100» не найден — скидка не изменилась');
    assert.ok(bad.body.error.fields.coupon_code);
    const empty = await cashier.action('/action/applyCoupon', { coupon_code: '  ' });
    assert.equal(empty.status, 422);
    assert.equal(await storedReceipts(host), before, 'a refused coupon writes nothing');
    const page = await cashier.get('/');
    assert.match(page.text, /class="percent">55</);
  });

  it('the bonus needs an order over 300', async () => {
    await cashier.action('/action/clearReceipt');
    await cashier.action('/action/addItem', { id: '2' });
    const small = await cashier.action('/action/applyBonus');
    assert.match(small.body.html, /Сумма заказа меньше 300/);
    assert.equal(field(small.body.html, 'percent'), '10');
  });

  it('refuses an unknown product with a visible message and leaves the receipt unchanged (§11.9)', async () => {
    const before = await storedReceipts(host);
    const unknown = await cashier.action('/action/addItem', { id: '999' });
    assert.equal(unknown.status, 422);
    assert.match(unknown.body.error.message, /Товар не найден: 999/);
    assert.equal(unknown.body.error.fields.id, unknown.body.error.message);
    const none = await cashier.action('/action/addItem', {});
    assert.equal(none.status, 422);
    const after = await storedReceipts(host);
    assert.equal(after, before);
    const page = await cashier.get('/');
    assert.match(page.text, /class="count">1</);
    assert.doesNotMatch(page.text, /NaN/);
  });

  it('removes one unit per click, validates itemId (422, nothing written) and clears the receipt', async () => {
    await cashier.action('/action/addItem', { id: '2' });
    const before = await storedReceipts(host);
    const bad = await cashier.action('/action/removeItem', { itemId: 'abc' });
    assert.equal(bad.status, 422);
    assert.equal(await storedReceipts(host), before);
    assert.match(bad.body.error.message, /Неверный номер строки чека/);
    const one = await cashier.action('/action/removeItem', { itemId: '2' });
    assert.match(one.body.html, /Молоко 3.2%<\/span><span class="unit">80.00 ₽ × 1/);
    const none = await cashier.action('/action/removeItem', { itemId: '2' });
    assert.doesNotMatch(none.body.html, /Молоко/);
    assert.equal(field(none.body.html, 'final'), '0.00');
    const gone = await cashier.action('/action/removeItem', { itemId: '2' });
    assert.equal(gone.status, 409);
    await cashier.action('/action/addItem', { id: '5' });
    const cleared = await cashier.action('/action/clearReceipt');
    // nothing but the default discount was on it: nothing was reset, and it does not say so
    assert.match(cleared.body.html, /Чек очищен/);
    assert.doesNotMatch(cleared.body.html, /сброшена/);
    assert.equal(field(cleared.body.html, 'count'), '0');
    // an empty receipt shows no "Скидка (10%) −0.00"
    assert.doesNotMatch(cleared.body.html, /class="discount"/);
    // a coupon on it: clearing does reset the discount, and says so
    await cashier.action('/action/addItem', { id: '5' });
    await cashier.action('/action/applyCoupon', { coupon_code: 'SALE15' });
    const reset = await cashier.action('/action/clearReceipt');
    assert.match(reset.body.html, /Чек очищен, скидка сброшена/);
    const next = await cashier.action('/action/addItem', { id: '5' });
    assert.equal(field(next.body.html, 'percent'), '10');
    await cashier.action('/action/clearReceipt');
  });

  it('searches products live by name (any case) or barcode', async () => {
    const byName = await cashier.action('/action/filterPositions', { query: 'МОЛ' });
    assert.equal(byName.body.componentName, 'positionsList');
    assert.match(byName.body.html, /Молоко/);
    assert.doesNotMatch(byName.body.html, /Хлеб/);
    const byCode = await cashier.action('/action/filterPositions', { query: '4607000010358' });
    assert.match(byCode.body.html, /Масло сливочное/);
    assert.equal((byCode.body.html.match(/class="product"/g) ?? []).length, 1);
    const nothing = await cashier.action('/action/filterPositions', { query: 'ананас' });
    assert.match(nothing.body.html, /Ничего не найдено по запросу «ананас»/);
    const all = await cashier.action('/action/filterPositions', { query: '' });
    assert.ok((all.body.html.match(/class="product"/g) ?? []).length >= 30);
  });

  it('re-renders the receipt on other windows of the terminal (receipt-updates / receipt-changed), not on the initiator', async () => {
    const window2 = sameTerminal(cashier);
    const mine = await cashier.socket();
    const theirs = await window2.socket();
    assert.equal((await mine.subscribe('receipt-updates')).type, 'subscribed');
    assert.equal((await theirs.subscribe('receipt-updates')).type, 'subscribed');
    await cashier.action('/action/addItem', { id: '4' }, { socketId: mine.id });
    const event = await theirs.next((f) => f.event === 'receipt-changed');
    assert.equal(event.channel, 'receipt-updates');
    assert.ok(Array.isArray(event.payload.items));
    assert.equal(event.payload.items.at(-1).price, 7500, 'kopecks on the wire');
    const refresh = await window2.action('/action/soft-refresh-receipt', {}, { socketId: theirs.id });
    assert.match(refresh.body.html, /Кефир 1%/);
    await allArrived(mine);
    assert.equal(mine.events('receipt-changed').length, 0);
    mine.close();
    theirs.close();
  });

  it('logout ends the session on the server', async () => {
    const t = new TestTerminal(host.url);
    await t.login('kassir', '123');
    const session = t.cookies.get('session_id')!;
    const out = await t.action('GET /auth/logout');
    assert.deepEqual(out.body, { redirect: { url: '/login', full: true } });
    const replay = await t.replaySession('/', session);
    assert.equal(replay.status, 302);
  });

  it('refuses every action without a session (401), including the till operations', async () => {
    const stranger = await new TestTerminal(host.url).open('/login');
    const res = await stranger.action('/action/addItem', { id: '1' });
    assert.equal(res.status, 401);
    assert.equal(res.body.redirect, '/login');
  });
});
