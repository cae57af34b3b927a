// Cash in / cash out (внесение / изъятие) over real HTTP: the cashier whose shift it is puts cash into the
// drawer or takes it out with a reason; the X and Z reports show both and the expected cash adds up
// (float + cash sales + in − out); bad amounts, a missing reason, taking out more than the drawer holds,
// no shift or another cashier's shift are refused with nothing written.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const MILK = '4607000010143'; // 80.00, 10 % default discount → 72.00

describe('kassa: cash in and cash out during a shift', () => {
  let host: TestHost;
  let till: TestTerminal;

  const journal = async (name: string) => {
    await host.flushed();
    const text = await readFile(path.join(host.dataDir, `${name}.jsonl`), 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  };
  /** the terminals' shifts and the cash journal, as stored (to show that a refusal wrote nothing) */
  const stored = async () => {
    await host.flushed();
    const dir = path.join(host.dataDir, 'shift');
    const files = (await readdir(dir).catch(() => [] as string[])).sort();
    const shifts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    return shifts.join('\n') + JSON.stringify(await journal('cashMoves'));
  };
  const figure = (html: string, name: string) => new RegExp(`class="${name}"[^>]*>([^<]*)<`).exec(html)?.[1];

  before(async () => {
    host = await startHost(appDir);
    till = new TestTerminal(host.url);
    await till.login('kassir', '123');
  });
  after(() => host.stop());

  it('is refused without an open shift', async () => {
    const answer = await till.action('/action/cashMove', { kind: 'in', amount: '100', reason: 'размен' });
    assert.equal(answer.status, 409);
    assert.match(answer.body.error.message, /Смена не открыта/);
  });

  it('puts cash in and takes cash out; the X report and the expected cash add up', async () => {
    await till.action('/action/openShift', { float: '1000' });
    await till.action('/action/scan', { code: MILK });
    const sold = await till.action('/action/completeSale', { method: 'cash', tendered: '100' });
    assert.equal(sold.status, 200, JSON.stringify(sold.body));
    const cashIn = await till.action('/action/cashMove', { kind: 'in', amount: '500', reason: 'Размен из сейфа' });
    assert.deepEqual(cashIn.body, { redirect: '/shift' });
    const cashOut = await till.action('/action/cashMove', { kind: 'out', amount: '300,50', reason: 'Инкассация' });
    assert.deepEqual(cashOut.body, { redirect: '/shift' });
    const page = await till.get('/shift');
    assert.equal(figure(page.text, 'z-float'), '1000.00');
    assert.equal(figure(page.text, 'z-cash'), '72.00');
    assert.equal(figure(page.text, 'z-cash-in'), '500.00');
    assert.equal(figure(page.text, 'z-cash-out'), '−300.50');
    assert.equal(figure(page.text, 'z-expected'), '1271.50'); // 1000 + 72 + 500 − 300.50
    assert.match(page.text, /Инкассация · Иванов И\.И\./);
    const records = await journal('cashMoves');
    assert.deepEqual(records.map((r) => [r.kind, r.amount, r.reason, r.shift, r.cashier.login]), [
      ['in', 50000, 'Размен из сейфа', 1, 'kassir'],
      ['out', 30050, 'Инкассация', 1, 'kassir'],
    ]);
    // a later cash sale keeps the moves in the expected cash
    await till.action('/action/scan', { code: MILK });
    await till.action('/action/completeSale', { method: 'cash', tendered: '72' });
    assert.equal(figure((await till.get('/shift')).text, 'z-expected'), '1343.50');
  });

  it('refuses bad input beside its field, and more cash out than the drawer holds, writing nothing', async () => {
    const before = await stored();
    for (const [fields, field, message] of [
      [{ amount: '0' }, 'amount', /больше нуля/],
      [{ amount: '-5' }, 'amount', /больше нуля/],
      [{ amount: 'много' }, 'amount', /не распознана/],
      [{ reason: '  ' }, 'reason', /Укажите основание/],
      [{ kind: 'steal' }, 'kind', /внесение или изъятие/],
      [{ kind: 'out', amount: '1343.51' }, 'amount', /В денежном ящике 1343\.50 ₽: изъять 1343\.51 ₽ нельзя/],
    ] as const) {
      const answer = await till.action('/action/cashMove', Object.assign({ kind: 'in', amount: '10', reason: 'проверка' }, fields));
      assert.equal(answer.status, 422, `${JSON.stringify(fields)}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.error.message, message);
      assert.deepEqual(Object.keys(answer.body.error.fields), [field]);
    }
    assert.equal(await stored(), before);
  });

  it('another cashier on this terminal must take the shift over first', async () => {
    const office = new TestTerminal(host.url);
    await office.login('admin', 'admin');
    await office.action('/action/staff/create', { login: 'petrov', name: 'Петров П.П.', role: 'Кассир', password: '4567' });
    await till.action('/auth/logout');
    await till.open('/login'); // the page's token of the new (logged-out) session
    await till.login('petrov', '4567');
    const before = await stored();
    const answer = await till.action('/action/cashMove', { kind: 'out', amount: '10', reason: 'чужая смена' });
    assert.equal(answer.status, 409);
    assert.match(answer.body.error.message, /открыта кассиром Иванов И\.И\./);
    assert.equal(await stored(), before);
  });

  it('the Z report keeps cash in, cash out and the expected cash', async () => {
    await till.action('/action/takeOverShift');
    const closed = await till.action('/action/closeShift');
    assert.deepEqual(closed.body, { redirect: '/shift/z' });
    const [z] = await journal('zReports');
    assert.deepEqual([z.openingFloat, z.cash, z.cashIn, z.cashOut, z.cashExpected], [100000, 14400, 50000, 30050, 134350]);
    assert.equal(z.cashMoves.length, 2);
    const report = await till.get('/shift/z');
    assert.equal(figure(report.text, 'z-expected'), '1343.50');
  });
});
