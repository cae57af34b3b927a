// apps/kassa across terminals: each terminal has its own receipt (its windows and customer display
// follow it live, other terminals never see it); the catalogue and the sales journal are shared; the
// manager's dashboard follows every terminal's sales live and is closed to cashiers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, allArrived, type TestSocket } from '../helpers/http-client.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const BREAD = '4607000010075';
const KEFIR = '4607000010280';
const COFFEE = '4607000011331';

function field(html: string, className: string): string | undefined {
  return new RegExp(`class="${className}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

function sameTerminal(of: TestTerminal): TestTerminal {
  const twin = new TestTerminal(of.baseUrl);
  for (const [k, v] of of.cookies) twin.cookies.set(k, v);
  twin.csrf = of.csrf;
  return twin;
}

describe('kassa: terminals, customer display and dashboard', () => {
  let host: TestHost;
  let till1: TestTerminal;
  let display1: TestTerminal;
  let till2: TestTerminal;
  let manager: TestTerminal;
  const sockets: TestSocket[] = [];

  before(async () => {
    host = await startHost(appDir);
    till1 = new TestTerminal(host.url);
    till2 = new TestTerminal(host.url);
    manager = new TestTerminal(host.url);
    await Promise.all([till1.login('kassir', '123'), till2.login('kassir', '123'), manager.login('admin', 'admin')]);
    display1 = sameTerminal(till1);
  });
  after(async () => {
    for (const s of sockets) s.close();
    await host.stop();
  });

  async function socketOf(t: TestTerminal, channel: string): Promise<TestSocket> {
    const s = await t.socket();
    sockets.push(s);
    const answer = await s.subscribe(channel);
    assert.equal(answer.type, 'subscribed', `${channel}: ${answer.message ?? ''}`);
    return s;
  }

  it('keeps one receipt per terminal; the catalogue is shared', async () => {
    await till1.action('/action/scan', { code: BREAD });
    await till2.action('/action/scan', { code: KEFIR });
    const one = await till1.get('/');
    const two = await till2.get('/');
    const line = (name: string) => new RegExp(`<div class="what"><span class="name">${name}`);
    assert.match(one.text, line('Хлеб Бородинский'));
    assert.doesNotMatch(one.text, line('Кефир'));
    assert.match(two.text, line('Кефир 1%'));
    assert.doesNotMatch(two.text, line('Хлеб'));
    assert.match(two.text, /Хлеб Бородинский<\/span><span class="barcode">/, 'both list the whole catalogue');
  });

  it('mirrors terminal 1’s receipt on its customer display, live, and never terminal 2’s', async () => {
    const screen = await display1.get('/display');
    assert.equal(screen.status, 200);
    assert.match(screen.text, /Хлеб Бородинский/);
    assert.doesNotMatch(screen.text, /Кефир/);
    assert.equal(field(screen.text, 'd-final'), '40.95');

    const displaySocket = await socketOf(display1, 'receipt-updates');
    const till1Socket = await socketOf(till1, 'receipt-updates');
    await till2.action('/action/scan', { code: COFFEE });
    await allArrived(displaySocket);
    assert.equal(displaySocket.events('receipt-changed').length, 0, 'terminal 2 never reaches terminal 1');

    await till1.action('/action/scan', { code: COFFEE }, { socketId: till1Socket.id });
    const event = await displaySocket.next((f) => f.event === 'receipt-changed');
    assert.equal(event.payload.items.length, 2);
    const refreshed = await display1.action('/action/soft-refresh-display', {}, { socketId: displaySocket.id });
    assert.equal(refreshed.body.componentName, 'customerDisplay');
    assert.match(refreshed.body.html, /Кофе молотый, 250 г/);
    assert.doesNotMatch(refreshed.body.html, /Кефир/);
    assert.equal(field(refreshed.body.html, 'd-final'), '400.86');
    assert.equal(till1Socket.events('receipt-changed').length, 0, 'the initiator is not notified');
  });

  it('shows the change due on the display after payment', async () => {
    await till1.action('/action/openShift', { float: '0' });
    const displaySocket = sockets[0];
    const before = displaySocket.events('receipt-changed').length;
    const sale = await till1.action('/action/completeSale', { method: 'cash', tendered: '500' });
    assert.equal(sale.status, 200);
    await displaySocket.next((f) => f.event === 'receipt-changed' && displaySocket.events('receipt-changed').length > before);
    const screen = await display1.action('/action/soft-refresh-display');
    assert.match(screen.body.html, /Спасибо за покупку!/);
    assert.equal(field(screen.body.html, 'd-paid'), '400.86');
    assert.equal(field(screen.body.html, 'd-change'), '99.14');
  });

  it('closes the dashboard to cashiers', async () => {
    const page = await till1.get('/dashboard');
    assert.equal(page.status, 403);
    const refresh = await till1.action('/action/soft-refresh-dashboard');
    assert.equal(refresh.status, 403);
    const s = await till1.socket();
    sockets.push(s);
    const answer = await s.subscribe('sales-feed');
    assert.equal(answer.type, 'error');
  });

  it('shows the day’s sales per terminal and in total, updating live as any terminal sells', async () => {
    const page = await manager.get('/dashboard');
    assert.equal(page.status, 200);
    assert.equal(field(page.text, 'day-count'), '1');
    assert.equal(field(page.text, 'day-total'), '400.86 ₽');

    const feed = await socketOf(manager, 'sales-feed');
    await till2.action('/action/openShift', { float: '100' });
    const sale2 = await till2.action('/action/completeSale', { method: 'card' });
    assert.equal(sale2.status, 200);
    const event = await feed.next((f) => f.event === 'sales-changed');
    assert.deepEqual(Object.keys(event.payload).sort(), ['count', 'day', 'total']);
    assert.equal(event.payload.count, 2);

    const board = await manager.action('/action/soft-refresh-dashboard', {}, { socketId: feed.id });
    assert.equal(board.body.componentName, 'dashboard');
    const html: string = board.body.html;
    assert.equal(field(html, 'day-count'), '2');
    // terminal 2: kefir 75.00 + coffee 399.90 = 474.90, −10 % = 47.49 → 427.41
    assert.equal(field(html, 'day-total'), '828.27 ₽');
    assert.equal(field(html, 'day-cash'), '400.86 ₽');
    assert.equal(field(html, 'day-card'), '427.41 ₽');
    const rows = [...html.matchAll(/<tr data-terminal="([^"]+)">.*?class="n t-total">([^<]+)</gs)].map((m) => m[2]);
    assert.deepEqual(rows, ['400.86', '427.41']);
  });
});
