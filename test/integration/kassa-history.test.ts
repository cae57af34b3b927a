// apps/kassa's sales history over real HTTP: a manager filters a journal far longer than the records kept
// in memory (view.last 200) by day, terminal, cashier, payment method, amount and receipt number, pages
// through it, opens a sale and reprints it as a copy; a sale just made is there at once; bad filters are
// refused beside their field; a cashier gets 403 and no link.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { dayOf, syntheticSale, startKassaWithSales, type SalesLayout } from '../helpers/sales-journal.js';

const layout: SalesLayout = { firstDay: '2026-11-01', perDay: 120 };
const SALES = 1200; // ten days
const BREAD = '4607000010075';

type Sale = ReturnType<typeof syntheticSale> & { id: string; number: number; finalTotal: number };
const all = Array.from({ length: SALES }, (_, n) => syntheticSale(n, layout) as Sale);
/** an attribute's text as the browser reads it (Mustache escapes & < > " ' / ` =) */
const unescape = (text: string) => text.replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const rowsOf = (html: string) => [...html.matchAll(/<tr class="sale" data-id="([^"]+)"/g)].map((m) => unescape(m[1]));
const totalOf = (html: string) => Number(/class="total">(\d+)</.exec(html)?.[1]);

describe('kassa: the manager’s sales history', () => {
  let host: TestHost;
  let manager: TestTerminal;

  before(async () => {
    host = await startKassaWithSales(SALES, layout);
    manager = new TestTerminal(host.url);
    await manager.login('admin', 'admin');
  });
  after(async () => {
    await host.stop();
  });

  const search = (filters: Record<string, string>) => manager.action('/action/history/search', filters);

  it('opens on a day, newest first, 50 a page, with the link in the top bar', async () => {
    const day = dayOf(250, layout);
    const page = await manager.get(`/history?day=${day}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<a href="\/history" atom-link="spa"[^>]*>История продаж<\/a>/);
    const expected = all.filter((s) => s.day === day).reverse();
    assert.equal(totalOf(page.text), 120);
    assert.deepEqual(rowsOf(page.text), expected.slice(0, 50).map((s) => s.id));
    assert.match(page.text, /Страница 1 \/ 3/);
    const third = await search({ day, page: '3' });
    assert.equal(third.status, 200);
    assert.deepEqual(rowsOf(third.body.html), expected.slice(100).map((s) => s.id));
  });

  it('filters by terminal, cashier, payment method, amount and receipt number, together', async () => {
    const day = dayOf(500, layout);
    const match = (filters: Record<string, string>, keep: (s: Sale) => boolean) =>
      search({ day, ...filters }).then((answer) => {
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        const want = all.filter((s) => s.day === day && keep(s)).reverse();
        assert.equal(totalOf(answer.body.html), want.length, JSON.stringify(filters));
        assert.deepEqual(rowsOf(answer.body.html), want.slice(0, 50).map((s) => s.id), JSON.stringify(filters));
        return want.length;
      });
    const term = (s: Sale) => (s.terminal as { name: string }).name;
    const login = (s: Sale) => (s.cashier as { login: string }).login;
    const method = (s: Sale) => (s.payment as { method: string }).method;
    assert.ok((await match({ terminal: 'Касса 2' }, (s) => term(s) === 'Касса 2')) > 0);
    assert.ok((await match({ cashier: 'kassir' }, (s) => login(s) === 'kassir')) > 0);
    assert.ok((await match({ method: 'card' }, (s) => method(s) === 'card')) > 0);
    assert.ok((await match({ min: '5 00', max: '550,50' }, (s) => s.finalTotal >= 50_000 && s.finalTotal <= 55_050)) > 0);
    assert.equal(await match({ number: '7' }, (s) => s.number === 7), 4, 'receipt 7 of each terminal');
    assert.ok((await match({ terminal: 'Касса 3', method: 'card', min: '100' }, (s) => term(s) === 'Касса 3' && method(s) === 'card' && s.finalTotal >= 10_000)) > 0);
    assert.equal(await match({ terminal: 'Касса 9' }, () => false), 0);
    // every day at once: a receipt number across the journal
    const everyDay = await search({ day: '', number: '3', terminal: 'Касса 1' });
    assert.equal(totalOf(everyDay.body.html), 10);
  });

  it('refuses a filter it cannot read beside its field, and shows nothing else', async () => {
    for (const [field, value, message] of [
      ['min', 'много', /Сумма — число рублей/],
      ['max', '-5', /Сумма — число рублей/],
      ['number', '12a', /Номер чека — целое число/],
      ['day', '2026-13-45', /День — дата/],
    ] as const) {
      const answer = await search({ day: '2026-11-01', [field]: value });
      assert.equal(answer.status, 422, `${field}=${value}`);
      assert.match(answer.body.error.message, message);
      assert.deepEqual(Object.keys(answer.body.error.fields), [field]);
    }
  });

  it('opens a sale and reprints it as a copy at 80 and 58 mm', async () => {
    const sale = all[777];
    const list = await manager.get(`/history?day=${sale.day}&number=${sale.number}&terminal=${encodeURIComponent((sale.terminal as { name: string }).name)}`);
    const href = [...list.text.matchAll(/<a href="([^"]+)"/g)].map((m) => unescape(m[1])).find((link) => link.startsWith('/history/sale?id='));
    assert.ok(href, 'the row links to the sale');
    const opened = await manager.get(href);
    assert.equal(opened.status, 200);
    assert.match(opened.text, new RegExp(`Продажа № <span class="sale-number">${sale.number}</span>`));
    assert.match(unescape(opened.text), /class="button back" href="\/history\?day=/);
    const id = encodeURIComponent(sale.id);
    assert.ok(unescape(opened.text).includes(`atom-print="/print/sale?id=${id}&width=58" atom-print-width="58"`), 'the 58 mm reprint');
    for (const width of ['80', '58']) {
      const paper = await manager.get(`/print/sale?id=${id}&width=${width}`);
      assert.equal(paper.status, 200);
      assert.equal((paper.text.match(/class="copy-mark">КОПИЯ</g) ?? []).length, 2, 'marked as a copy above and below');
      assert.match(paper.text, new RegExp(`data-width="${width}"`));
      assert.match(paper.text, new RegExp(`class="sale-number">${sale.number}<`));
      assert.match(paper.text, /class="p-final">=\d+\.\d\d</);
    }
    assert.equal((await manager.get('/print/sale?id=nope')).status, 404);
    assert.equal((await manager.get('/print/sale')).status, 404);
  });

  it('a sale just made is in the history at once (before the journal file has it), and the till’s own reprint is no copy', async () => {
    const till = new TestTerminal(host.url);
    await till.login('kassir', '123');
    await till.action('/action/openShift', { float: '0' });
    await till.action('/action/scan', { code: BREAD });
    const paid = await till.action('/action/completeSale', { method: 'card' });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const today = await manager.get('/history');
    assert.equal(totalOf(today.text), 1, 'the first visit shows today');
    assert.match(today.text, /class="cashier">Иванов И\.И\.</);
    assert.match(today.text, /class="method">Картой</);
    const own = await till.get('/print/receipt?sale=last');
    assert.doesNotMatch(own.text, /class="copy-mark"|КОПИЯ/);
    assert.match(own.text, /class="sale-number">1</);
  });

  it('exports a date range as CSV (UTF-8 with BOM, «;»)', async () => {
    const csv = await fetch(`${host.url}/__export/sales?from=${dayOf(0, layout)}&to=${dayOf(130, layout)}&format=csv`, { headers: { cookie: manager.cookieHeader() } });
    assert.equal(csv.status, 200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM');
    const text = bytes.toString('utf8');
    assert.equal(text.trim().split(/\r?\n/).length, 1 + 240);
    assert.match(text.split('\n')[0], /Чек №;/);
  });

  it('a cashier gets 403 and never sees the link', async () => {
    const cashier = new TestTerminal(host.url);
    await cashier.login('kassir', '123');
    const till = await cashier.get('/');
    assert.doesNotMatch(till.text, /История продаж/);
    for (const url of ['/history', `/history/sale?id=${encodeURIComponent(all[1].id)}`, `/print/sale?id=${encodeURIComponent(all[1].id)}`]) {
      assert.equal((await cashier.get(url, { accept: 'application/json' })).status, 403, url);
    }
    const searched = await cashier.action('/action/history/search', { day: '' });
    assert.equal(searched.status, 403);
    assert.doesNotMatch(JSON.stringify(searched.body), /t1\//);
  });
});
