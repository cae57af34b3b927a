// Stock arithmetic and returnable quantities of the till (app/lib/stock.js, returns.js, manager-pin.js).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { managerPin, returns, stock, type ReturnRecord, type SaleForReturn, type StockRow } from './kassa-modules.js';

const refusalOf = (run: () => unknown): { status: number; fields: Record<string, string> } => {
  try {
    run();
  } catch (error) {
    return error as { status: number; fields: Record<string, string> };
  }
  throw new Error('not refused');
};

describe('kassa stock arithmetic', () => {
  it('changes the rows found, adds a row once for a product without one, and keeps grams exact', () => {
    const bread = { id: 1, onHand: 2 };
    const items: StockRow[] = [bread, { id: 2, onHand: 0.3 }];
    const after = stock.applyChanges(items, [bread, undefined, items[1]], [
      { id: 1, delta: -3 },
      { id: 9, delta: 4 },
      { id: 9, delta: 1 },
      { id: 2, delta: 0.1 },
      { id: 2, delta: 0.2 },
    ]);
    assert.deepEqual([...after], [[1, -1], [9, 5], [2, 0.6]]);
    assert.deepEqual(items, [{ id: 1, onHand: -1 }, { id: 2, onHand: 0.6 }, { id: 9, onHand: 5 }]);
  });

  it('flags a line that sells below zero and lists low stock at or below the threshold', () => {
    assert.equal(stock.isShort(3, 3), false);
    assert.equal(stock.isShort(3, 4), true);
    assert.equal(stock.isShort(0.3, 0.1 + 0.2), false);
    assert.equal(stock.isLow(5, 5), true);
    assert.equal(stock.isLow(6, 5), false);
    assert.equal(stock.isLow(-2, 5), true);
  });

  it('reads a goods receipt: positive quantities only, each refusal naming its field and row', () => {
    const form = stock.readGoodsReceipt({ supplier: ' ООО  «Хлеб» ', document: 'ТН-7', lines: '4607000010075 12\n\n3\t0,5' });
    assert.deepEqual(form, {
      supplier: 'ООО «Хлеб»',
      document: 'ТН-7',
      lines: [
        { row: 1, code: '4607000010075', quantity: 12 },
        { row: 3, code: '3', quantity: 0.5 },
      ],
    });
    for (const [lines, message] of [
      ['1 -4', /Строка 1: количество «-4» должно быть больше нуля/],
      ['1 2\n2 0', /Строка 2: количество «0»/],
      ['1 1.2345', /количество/],
      ['1 100001', /до 100000/],
      ['1 2 3', /нужен код товара и количество/],
      ['', /хотя бы одну строку/],
    ] as const) {
      const refusal = refusalOf(() => stock.readGoodsReceipt({ supplier: 'x', document: 'y', lines }));
      assert.equal(refusal.status, 422);
      assert.match(refusal.fields.lines, message);
    }
    assert.ok(refusalOf(() => stock.readGoodsReceipt({ supplier: '', document: 'y', lines: '1 1' })).fields.supplier);
    assert.ok(refusalOf(() => stock.readGoodsReceipt({ supplier: 'x', document: '', lines: '1 1' })).fields.document);
  });

  it('matches lines to products: an unknown code or a fraction of a piece is refused with its row', () => {
    const lines = [{ row: 1, code: '1', quantity: 2 }, { row: 4, code: '77', quantity: 1 }];
    assert.match(refusalOf(() => stock.matchProducts(lines, [{ id: 1, name: 'Хлеб' }, undefined])).fields.lines, /Строка 4: товар с кодом «77» не найден/);
    assert.match(refusalOf(() => stock.matchProducts([{ row: 2, code: '1', quantity: 0.5 }], [{ id: 1, name: 'Хлеб', unit: 'шт' }])).fields.lines, /поштучно/);
    assert.deepEqual(stock.matchProducts([{ row: 1, code: '9', quantity: 0.5 }], [{ id: 9, name: 'Яблоки', unit: 'кг' }]), [{ id: 9, name: 'Яблоки', quantity: 0.5 }]);
  });
});

describe('kassa returnable quantities and refunds', () => {
  // 3 × 250.75 + 1 × 1.00 = 753.25, 10 % off → 677.92 paid
  const sale: SaleForReturn = {
    id: 'web-a/1/1',
    lines: [
      { id: 3, name: 'Сыр', price: 25075, quantity: 3, sum: 75225 },
      { id: 36, name: 'Спички', price: 100, quantity: 1, sum: 100 },
    ],
    finalTotal: 67792,
    payment: { method: 'cash' },
  };
  const returned = (lines: Array<[number, number]>, saleId = sale.id): ReturnRecord => ({ saleId, lines: lines.map(([id, quantity]) => ({ id, quantity })) });

  it('spreads what was paid over the lines to the kopeck', () => {
    const shares = returns.paidShares(sale);
    assert.deepEqual(shares, [67702, 90]);
    assert.equal(shares[0] + shares[1], sale.finalTotal);
  });

  it('returnable is sold minus what earlier returns of the same sale took back', () => {
    const records = [returned([[3, 1]]), returned([[3, 1], [36, 1]]), returned([[3, 3]], 'web-a/1/2')];
    assert.deepEqual(
      returns.returnableLines(sale, records).map((l) => [l.id, l.sold, l.returned, l.returnable]),
      [[3, 3, 2, 1], [36, 1, 1, 0]],
    );
  });

  it('refuses more than returnable, nothing at all, or an unknown refund method, naming the field', () => {
    const records = [returned([[3, 2]])];
    assert.deepEqual(refusalOf(() => returns.readReturn({ q_3: '2' }, sale, records)).fields, { q_3: 'Вернуть можно не больше 1 (продано 3, уже возвращено 2)' });
    assert.ok(refusalOf(() => returns.readReturn({ q_3: 'два' }, sale, records)).fields.q_3);
    assert.ok(refusalOf(() => returns.readReturn({ q_3: '-1' }, sale, [])).fields.q_3);
    assert.ok(refusalOf(() => returns.readReturn({}, sale, [])).fields.q_3);
    assert.ok(refusalOf(() => returns.readReturn({ q_3: '1', method: 'crypto' }, sale, [])).fields.method);
  });

  it('returning piece by piece gives back exactly what a whole return gives, by the sale’s method unless chosen', () => {
    const records: ReturnRecord[] = [];
    const amounts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const form = returns.readReturn({ q_3: '1' }, sale, records);
      assert.equal(form.method, 'cash');
      amounts.push(form.amount);
      records.push(returned([[3, 1]]));
    }
    assert.deepEqual(amounts, [22567, 22568, 22567]);
    const rest = returns.readReturn({ all: '1', method: 'card' }, sale, records);
    assert.deepEqual([rest.lines.map((l) => [l.id, l.quantity]), rest.amount, rest.method], [[[36, 1]], 90, 'card']);
    assert.equal(amounts.reduce((a, b) => a + b, 0) + rest.amount, sale.finalTotal);
    assert.match(refusalOf(() => returns.readReturn({ all: '1' }, sale, [...records, returned([[36, 1]])])).fields.q_3, /всё уже возвращено/);
  });
});

describe('kassa manager confirmation', () => {
  const role = 'Менеджер';
  const people = [
    { login: 'admin', name: 'Петрова', role, pinHash: managerPin.hashPin('4321') },
    { login: 'old', name: 'Сидоров', role, active: false, pinHash: managerPin.hashPin('1111') },
    { login: 'kassir', name: 'Иванов', role: 'Кассир' },
  ];
  const cashier = { login: 'kassir', name: 'Иванов', role: 'Кассир' };

  it('a manager logged in confirms; otherwise an active manager’s PIN, refused when wrong or missing', () => {
    assert.deepEqual(managerPin.confirmingManager({ user: { login: 'admin', name: 'Петрова', role }, people, pin: '', terminalId: 't1', managerRole: role }), { login: 'admin', name: 'Петрова', by: 'login' });
    assert.deepEqual(managerPin.confirmingManager({ user: cashier, people, pin: '4321', terminalId: 't1', managerRole: role }), { login: 'admin', name: 'Петрова', by: 'pin' });
    assert.equal(refusalOf(() => managerPin.confirmingManager({ user: cashier, people, pin: '1111', terminalId: 't1', managerRole: role })).status, 403);
    assert.equal(refusalOf(() => managerPin.confirmingManager({ user: cashier, people, pin: '12', terminalId: 't1', managerRole: role })).status, 422);
  });

  it('after MAX_FAILURES wrong PINs a terminal waits, other terminals do not, and the wait ends with the window', () => {
    const start = 1_000_000;
    const attempt = (pin: string, terminalId: string, now: number) => () => managerPin.confirmingManager({ user: cashier, people, pin, terminalId, managerRole: role, now });
    for (let i = 0; i < managerPin.MAX_FAILURES; i++) assert.equal(refusalOf(attempt('0000', 't2', start + i)).status, 403);
    assert.equal(refusalOf(attempt('4321', 't2', start + 10)).status, 429);
    assert.equal(managerPin.confirmingManager({ user: cashier, people, pin: '4321', terminalId: 't3', managerRole: role, now: start + 10 }).by, 'pin');
    assert.equal(managerPin.confirmingManager({ user: cashier, people, pin: '4321', terminalId: 't2', managerRole: role, now: start + managerPin.WINDOW_MS + 1 }).login, 'admin');
  });

  it('wrong PINs from many terminals together are limited too (browser terminals are free to mint)', () => {
    // later than every failure above, so none of them counts any more
    const start = Date.now() + 10 * managerPin.WINDOW_MS;
    const attempt = (pin: string, terminalId: string, now: number) => () => managerPin.confirmingManager({ user: cashier, people, pin, terminalId, managerRole: role, now });
    for (let i = 0; i < managerPin.MAX_FAILURES_ALL; i++) assert.equal(refusalOf(attempt('0000', `minted-${i}`, start + i)).status, 403);
    assert.equal(refusalOf(attempt('4321', 'fresh', start + 100)).status, 429);
    assert.equal(managerPin.confirmingManager({ user: { login: 'admin', name: 'Петрова', role }, people, pin: '', terminalId: 'fresh', managerRole: role, now: start + 100 }).by, 'login');
  });

  it('returns pieces whole and weighed lines in part; an old sale line without its unit takes the product’s', () => {
    const weighed: SaleForReturn = {
      id: 'web-a/1/2',
      lines: [
        { id: 3, name: 'Сыр', price: 25075, quantity: 2, sum: 50150, unit: 'шт' },
        { id: 40, name: 'Яблоки', price: 9000, quantity: 1, sum: 4608, unit: 'кг', grams: 512 },
        { id: 7, name: 'Морковь', price: 5000, quantity: 1, sum: 5000 },
      ],
      finalTotal: 59758,
      payment: { method: 'cash' },
    };
    const half = refusalOf(() => returns.readReturn({ q_3: '0,5' }, weighed, []));
    assert.equal(half.status, 422);
    assert.deepEqual(half.fields, { q_3: 'Количество «0,5»: штучный товар возвращается целыми штуками' });
    // a line recorded without a unit (an old sale): the product's unit today decides
    assert.ok(refusalOf(() => returns.readReturn({ q_7: '0.5' }, weighed, [])).fields.q_7);
    assert.deepEqual(returns.readReturn({ q_7: '0.5' }, weighed, [], new Map([[7, 'кг']])).lines.map((l) => [l.id, l.quantity, l.sum]), [[7, 0.5, 2500]]);
    assert.deepEqual(returns.readReturn({ q_40: '0,5', q_3: '1' }, weighed, []).lines.map((l) => [l.id, l.quantity]), [[3, 1], [40, 0.5]]);
    assert.deepEqual(weighed.lines.map((line) => returns.unitOf(line)), ['шт', 'кг', 'шт']);
  });
});
