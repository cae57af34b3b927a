// Money in integer kopecks (apps/kassa/app/lib/money.js) and the receipt arithmetic built on it:
// exact sums, half-up rounding of percentage discounts, and the original example's numbers (§11.8).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectorsModule, money, recalculate, type Receipt } from './kassa-modules.js';

function receiptOf(lines: Array<[id: number, price: number, quantity: number]>, discountPercent = 10): Receipt {
  const receipt: Receipt = structuredClone(connectorsModule.emptyReceipt);
  receipt.items = lines.map(([id, price, quantity]) => ({ id, name: `#${id}`, price, quantity }));
  receipt.discountPercent = discountPercent;
  recalculate({ data: { receipt } });
  return receipt;
}

describe('money: reading amounts people type', () => {
  it('reads rubles and kopecks without floating point', () => {
    assert.equal(money.parse('0.10'), 10);
    assert.equal(money.parse('0.20'), 20);
    assert.equal(money.parse('0,1'), 10);
    assert.equal(money.parse('500'), 50000);
    assert.equal(money.parse('1 000,50'), 100050);
    assert.equal(money.parse('1\u00a0234.5'), 123450);
    assert.equal(money.parse('  42. '), 4200);
    assert.equal(money.parse('1.005'), null, 'three decimals are not an amount');
    assert.equal(money.parse('-5'), null);
    assert.equal(money.parse('abc'), null);
    assert.equal(money.parse(''), null);
    assert.equal(money.parse('1e3'), null);
    assert.equal(money.parse('99999999999'), null, 'beyond the till limit');
  });

  it('adds 0.10 + 0.20 to exactly 0.30 (the float artefact 0.30000000000000004 cannot happen)', () => {
    assert.notEqual(0.1 + 0.2, 0.3);
    const total = money.sum([money.parse('0.10')!, money.parse('0.20')!]);
    assert.equal(total, 30);
    assert.equal(money.format(total), '0.30');
    // a thousand 0.10 lines are exactly 100.00
    assert.equal(money.format(money.sum(Array.from({ length: 1000 }, () => 10))), '100.00');
    assert.equal(money.format(money.lineSum(money.parse('19.99')!, 3)), '59.97');
  });

  it('formats kopecks with two decimals', () => {
    assert.equal(money.format(54700), '547.00');
    assert.equal(money.format(5470), '54.70');
    assert.equal(money.format(5), '0.05');
    assert.equal(money.format(0), '0.00');
    assert.equal(money.format(-1050), '-10.50');
    assert.throws(() => money.format(1.5), /not an amount in kopecks/);
  });

  it('refuses amounts that are not whole kopecks', () => {
    assert.throws(() => money.sum([10, 0.5]), /whole number of kopecks/);
    assert.throws(() => money.lineSum(4550, 1.5), /whole number/);
    assert.throws(() => money.percentOf(100, 101), /between 0 and 100/);
  });
});

describe('money: percentage discounts round half-up to a kopeck', () => {
  it('rounds exactly at the half', () => {
    assert.equal(money.percentOf(5, 15), 1, '15 % of 0.05 = 0.0075 → 0.01');
    assert.equal(money.percentOf(3, 15), 0, '15 % of 0.03 = 0.0045 → 0.00');
    assert.equal(money.percentOf(10, 5), 1, '5 % of 0.10 = 0.005 → 0.01 (half goes up)');
    assert.equal(money.percentOf(9, 5), 0, '5 % of 0.09 = 0.0045 → 0.00');
    assert.equal(money.percentOf(33333, 15), 5000, '15 % of 333.33 = 49.9995 → 50.00');
    assert.equal(money.percentOf(1999, 12.5), 250, '12.5 % of 19.99 = 2.49875 → 2.50');
    assert.equal(money.percentOf(0, 50), 0);
    assert.equal(money.percentOf(100, 100), 100);
  });

  it('never lets a discount exceed the total', () => {
    assert.deepEqual(money.applyDiscount(101, 100), { discount: 101, due: 0 });
    assert.deepEqual(money.applyDiscount(54700, 10), { discount: 5470, due: 49230 });
  });

  it('finds the VAT included in an amount, rounded half-up to a kopeck (printed receipts)', () => {
    assert.equal(money.includedVat(12000, 20), 2000, '120.00 with 20 % VAT holds 20.00');
    assert.equal(money.includedVat(13600, 20), 2267, '136.00 → 22.666… → 22.67');
    assert.equal(money.includedVat(9, 20), 2, '0.09 → 0.015 → 0.02 (half goes up)');
    assert.equal(money.includedVat(3, 20), 1, '0.03 → 0.005 → 0.01');
    assert.equal(money.includedVat(11000, 10), 1000, '110.00 with 10 % VAT holds 10.00');
    assert.equal(money.includedVat(0, 20), 0);
    assert.throws(() => money.includedVat(1.5, 20));
  });
});

describe('receipt arithmetic (app/actions/recalculate.js)', () => {
  it('gives the original example’s numbers in kopecks (spec §11.8)', () => {
    const base = receiptOf([[1, 4550, 1], [3, 25075, 2]], 10);
    assert.equal(base.itemCount, 3);
    assert.equal(base.total, 54700);
    assert.equal(base.discount, 5470);
    assert.equal(base.finalTotal, 49230);
    assert.deepEqual(base.items.map((l) => l.sum), [4550, 50150]);

    const sale15 = receiptOf([[1, 4550, 1], [3, 25075, 2]], 15);
    assert.deepEqual([sale15.discount, sale15.finalTotal], [8205, 46495]);

    const withBonus = receiptOf([[1, 4550, 1], [3, 25075, 2]], 20);
    assert.deepEqual([withBonus.discount, withBonus.finalTotal], [10940, 43760]);
  });

  it('keeps every figure an integer for awkward prices', () => {
    const receipt = receiptOf([[1, 10, 1], [2, 20, 1], [3, 3333, 7]], 15);
    assert.equal(receipt.total, 30 + 23331);
    assert.equal(receipt.discount, money.percentOf(23361, 15));
    assert.equal(receipt.discount, 3504, '15 % of 233.61 = 35.0415 → 35.04');
    assert.equal(receipt.finalTotal, 23361 - 3504);
    for (const value of [receipt.total, receipt.discount, receipt.finalTotal]) assert.ok(Number.isInteger(value));
  });

  it('marks the current line (the last one added when none is chosen)', () => {
    const receipt = receiptOf([[1, 100, 1], [2, 200, 1]]);
    assert.equal(receipt.currentId, 2);
    assert.deepEqual(receipt.items.map((l) => l.current), [false, true]);
    const empty = receiptOf([]);
    assert.equal(empty.currentId, null);
    assert.equal(empty.total, 0);
    assert.equal(empty.finalTotal, 0);
  });
});
