// The till's weighed goods and VAT rules: scale labels read under several layouts, the weighed line's
// rounding (half-up on kopecks of price × grams / 1000), typed weights, and VAT per line and per rate with the
// receipt's discount shared out over the lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { kassaDir, money } from './kassa-modules.js';

const load = createRequire(path.join(kassaDir, 'manifest.js'));
interface Layout { prefixes: string[]; codeDigits: number; weightDigits: number }
const scale = load('./app/lib/scale-label.js') as {
  checkLayout(layout: unknown): Layout;
  parseLabel(code: string, layout: Layout): null | Record<string, unknown>;
  makeLabel(prefix: string, code: number, grams: number, layout: Layout): string;
};
const vat = load('./app/lib/vat.js') as {
  percentOf(code: string): number | null;
  shareDiscount(sums: number[], discount: number): number[];
  receiptVat(lines: Array<{ sum: number; vat: string }>, discount: number): { lines: Array<{ paid: number; vatAmount: number; vatLabel: string }>; rates: Array<{ code: string; paid: number; amount: number }> };
};
const weighed = money as typeof money & { weighedSum(price: number, grams: number): number; parseWeight(text: unknown): number | null; formatWeight(grams: number): string };

describe('scale labels', () => {
  const standard = scale.checkLayout({ prefixes: ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29'], codeDigits: 5, weightDigits: 5 });
  const sixFour = scale.checkLayout({ prefixes: ['22'], codeDigits: 6, weightDigits: 4 });
  const oneDigit = scale.checkLayout({ prefixes: ['2'], codeDigits: 6, weightDigits: 5 });

  it('reads product code and grams under the standard 2+5+5 layout', () => {
    // 22 00017 00512 + check digit
    const label = scale.makeLabel('22', 17, 512, standard);
    assert.equal(label.slice(0, 12), '220001700512');
    assert.deepEqual(scale.parseLabel(label, standard), { ok: true, code: label, productCode: 17, grams: 512 });
    const twenty = scale.makeLabel('20', 17, 512, standard);
    assert.deepEqual(scale.parseLabel(twenty, standard), { ok: true, code: twenty, productCode: 17, grams: 512 });
  });

  it('reads other layouts: 2+6+4 with one prefix, and a one-digit prefix 2+6+5', () => {
    const label = scale.makeLabel('22', 123456, 9999, sixFour);
    assert.deepEqual(scale.parseLabel(label, sixFour), { ok: true, code: label, productCode: 123456, grams: 9999 });
    assert.equal(scale.parseLabel(scale.makeLabel('22', 17, 512, standard).replace(/^22/, '23'), sixFour), null, 'prefix 23 is not a label here');
    const long = scale.makeLabel('2', 345678, 12345, oneDigit);
    assert.deepEqual(scale.parseLabel(long, oneDigit), { ok: true, code: long, productCode: 345678, grams: 12345 });
  });

  it('is not a label: other prefixes, lengths, letters; a wrong check digit and weight 0 are named', () => {
    assert.equal(scale.parseLabel('4607000010075', standard), null);
    assert.equal(scale.parseLabel('220001700512', standard), null);
    assert.equal(scale.parseLabel('22000170051X4', standard), null);
    const label = scale.makeLabel('22', 17, 512, standard);
    const wrong = label.slice(0, 12) + String((Number(label[12]) + 1) % 10);
    assert.deepEqual(scale.parseLabel(wrong, standard), { ok: false, code: wrong, reason: 'checkDigit', expected: Number(label[12]) });
    const zero = scale.makeLabel('22', 17, 0, standard);
    assert.deepEqual(scale.parseLabel(zero, standard), { ok: false, code: zero, reason: 'zeroWeight', productCode: 17 });
  });

  it('refuses a layout that does not make 13 digits or a prefix outside 2/20–29', () => {
    assert.throws(() => scale.checkLayout({ prefixes: ['22'], codeDigits: 5, weightDigits: 4 }), /13 digits/);
    assert.throws(() => scale.checkLayout({ prefixes: ['46'], codeDigits: 5, weightDigits: 5 }), /restricted-circulation/);
    assert.throws(() => scale.checkLayout({ prefixes: [], codeDigits: 5, weightDigits: 5 }), /list of prefixes/);
    assert.throws(() => scale.makeLabel('22', 1_000_000, 5, standard), /does not fit/);
  });
});

describe('weighed line sums and typed weights', () => {
  it('rounds price per kg × grams / 1000 half-up to a kopeck, once per line', () => {
    assert.equal(weighed.weighedSum(8990, 512), 4603); // 46.0288
    assert.equal(weighed.weighedSum(8990, 762), 6850); // 68.5038
    assert.equal(weighed.weighedSum(100, 5), 1); // 0.005 → 0.01 (half goes up)
    assert.equal(weighed.weighedSum(100, 4), 0); // 0.004 → 0.00
    assert.equal(weighed.weighedSum(12345, 1000), 12345);
    assert.equal(weighed.weighedSum(1_000_000, 999_999), 999_999_000);
    assert.throws(() => weighed.weighedSum(100, 1.5), /whole grams/);
    assert.throws(() => weighed.weighedSum(100, 1_000_000), /whole grams/);
  });

  it('reads kilograms typed with a point or a comma, up to three decimals', () => {
    assert.equal(weighed.parseWeight('0,512'), 512);
    assert.equal(weighed.parseWeight('0.5'), 500);
    assert.equal(weighed.parseWeight(' 2 '), 2000);
    assert.equal(weighed.parseWeight('999,999'), 999_999);
    assert.equal(weighed.parseWeight('0'), 0);
    for (const bad of ['1,2345', '-1', 'полкило', '', '1000', '1 200', null]) assert.equal(weighed.parseWeight(bad), null, String(bad));
    assert.equal(weighed.formatWeight(512), '0.512');
    assert.equal(weighed.formatWeight(12_050), '12.050');
  });
});

describe('VAT per line and per rate', () => {
  it('knows the catalogue’s rates', () => {
    assert.deepEqual(['none', '0', '10', '20', '22'].map(vat.percentOf), [null, 0, 10, 20, 22]);
    assert.throws(() => vat.percentOf('18'), /unknown VAT rate/);
  });

  it('shares a discount over the lines in proportion, the kopecks left to the largest fractions', () => {
    assert.deepEqual(vat.shareDiscount([4495, 4550], 905), [450, 455]);
    assert.deepEqual(vat.shareDiscount([100, 100, 100], 100), [34, 33, 33], 'a tie goes to the earlier line');
    assert.deepEqual(vat.shareDiscount([100, 200], 0), [0, 0]);
    for (const [sums, discount] of [[[1, 1, 1, 1, 1, 1, 7], 5], [[999, 1, 333], 777], [[5], 5]] as const) {
      assert.equal(vat.shareDiscount([...sums], discount).reduce((a, b) => a + b, 0), discount);
    }
    assert.throws(() => vat.shareDiscount([100], 101), /more than the total/);
  });

  it('takes each line’s VAT from what is paid for it, half-up; the rates add the lines up', () => {
    const { lines, rates } = vat.receiptVat(
      [
        { sum: 4495, vat: '10' },
        { sum: 4550, vat: '20' },
        { sum: 1000, vat: 'none' },
        { sum: 600, vat: '20' },
      ],
      0,
    );
    // 44.95 × 10/110 = 4.0863… → 4.09; 45.50 × 20/120 = 7.5833… → 7.58; 6.00 × 20/120 = 1.00
    assert.deepEqual(lines.map((l) => l.vatAmount), [409, 758, 0, 100]);
    assert.deepEqual(lines.map((l) => l.vatLabel), ['10 %', '20 %', 'без НДС', '20 %']);
    assert.deepEqual(rates, [
      { code: '10', label: '10 %', paid: 4495, amount: 409, none: false },
      { code: '20', label: '20 %', paid: 5150, amount: 858, none: false },
      { code: 'none', label: 'без НДС', paid: 1000, amount: 0, none: true },
    ]);
    // 40.95 × 20/120 = 6.825 → half-up 6.83
    assert.equal(vat.receiptVat([{ sum: 4095, vat: '20' }], 0).lines[0].vatAmount, 683);
    assert.equal(vat.receiptVat([{ sum: 12200, vat: '22' }], 0).lines[0].vatAmount, 2200);
    assert.equal(vat.receiptVat([{ sum: 12200, vat: '0' }], 0).lines[0].vatAmount, 0);
  });

  it('with a discount: the lines’ paid amounts add up to the amount due', () => {
    const { lines } = vat.receiptVat([{ sum: 4495, vat: '10' }, { sum: 4550, vat: '20' }], 905);
    assert.deepEqual(lines.map((l) => l.paid), [4045, 4095]);
    assert.deepEqual(lines.map((l) => l.vatAmount), [368, 683]);
  });
});
