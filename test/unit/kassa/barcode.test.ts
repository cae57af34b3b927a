// The catalogue's barcode rules (app/lib/barcode.js) and the product form's price and barcode reading
// (app/lib/product-form.js): check digits of EAN-13, EAN-8 and UPC-A, internal codes, prices in kopecks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { kassaDir } from './kassa-modules.js';

const load = createRequire(path.join(kassaDir, 'manifest.js'));
type Classified = { ok: boolean; code: string; kind?: string; reason?: string; expected?: number };
const barcode = load('./app/lib/barcode.js') as { checkDigit(body: string): number; classify(text: unknown): Classified; splitCodes(text: unknown): string[] };
const form = load('./app/lib/product-form.js') as {
  readPrice(text: unknown): number;
  readBarcodes(text: unknown): string[];
  readProduct(body: unknown): Record<string, unknown>;
};

function refusedWith(fn: () => unknown, field: string, message: RegExp): void {
  assert.throws(fn, (error: { status?: number; fields?: Record<string, string>; message: string }) => {
    assert.equal(error.status, 422);
    assert.deepEqual(Object.keys(error.fields ?? {}), [field]);
    assert.match(error.message, message);
    return true;
  });
}

describe('barcode check digits', () => {
  it('accepts real EAN-13, EAN-8 and UPC-A codes', () => {
    for (const [code, kind] of [
      ['4607000010075', 'EAN-13'],
      ['4006381333931', 'EAN-13'],
      ['5901234123457', 'EAN-13'],
      ['96385074', 'EAN-8'],
      ['73513537', 'EAN-8'],
      ['036000291452', 'UPC-A'],
      ['012345678905', 'UPC-A'],
    ]) {
      assert.deepEqual(barcode.classify(` ${code} `), { ok: true, code, kind }, code);
    }
  });

  it('refuses every wrong check digit and says which digit was expected', () => {
    const good = ['4607000010075', '96385074', '036000291452'];
    for (const code of good) {
      const right = Number(code.at(-1));
      for (let digit = 0; digit <= 9; digit++) {
        if (digit === right) continue;
        const result = barcode.classify(code.slice(0, -1) + digit);
        assert.equal(result.ok, false);
        assert.equal(result.reason, 'checkDigit');
        assert.equal(result.expected, right);
      }
    }
    assert.equal(barcode.checkDigit('460700001007'), 5);
  });

  it('takes internal codes, and refuses short numbers, odd characters and lengths', () => {
    assert.deepEqual(barcode.classify('CODE-77'), { ok: true, code: 'CODE-77', kind: 'internal' });
    assert.deepEqual(barcode.classify('1234567'), { ok: true, code: '1234567', kind: 'internal' });
    assert.equal(barcode.classify('123456').reason, 'shortNumber');
    assert.equal(barcode.classify('').reason, 'empty');
    assert.equal(barcode.classify('код 1').reason, 'characters');
    assert.equal(barcode.classify('AB').reason, 'length');
    assert.equal(barcode.classify('A'.repeat(33)).reason, 'length');
  });

  it('splits several typed codes', () => {
    assert.deepEqual(barcode.splitCodes(' 4607000010075, CODE-77;96385074\n'), ['4607000010075', 'CODE-77', '96385074']);
  });
});

describe('the product form', () => {
  it('reads prices in rubles as kopecks, from 0.01 to 10,000,000.00', () => {
    assert.equal(form.readPrice('89.90'), 8990);
    assert.equal(form.readPrice('1 000,5'), 100050);
    assert.equal(form.readPrice('0.01'), 1);
    assert.equal(form.readPrice('10000000'), 1_000_000_000);
    refusedWith(() => form.readPrice('0'), 'price', /больше нуля/);
    refusedWith(() => form.readPrice('0.00'), 'price', /больше нуля/);
    refusedWith(() => form.readPrice('-1'), 'price', /больше нуля/);
    refusedWith(() => form.readPrice('10000000.01'), 'price', /больше 10 000 000,00/);
    refusedWith(() => form.readPrice('99999999999'), 'price', /больше 10 000 000,00/);
    refusedWith(() => form.readPrice('1.234'), 'price', /не распознана/);
    refusedWith(() => form.readPrice(''), 'price', /не распознана/);
  });

  it('reads barcodes: each checked, none twice, at most ten', () => {
    assert.deepEqual(form.readBarcodes('4607000010075 CODE-77'), ['4607000010075', 'CODE-77']);
    refusedWith(() => form.readBarcodes('4607000010076'), 'barcodes', /контрольная цифра EAN-13 \(должна быть 5\)/);
    refusedWith(() => form.readBarcodes('CODE-77 CODE-77'), 'barcodes', /указан дважды/);
    refusedWith(() => form.readBarcodes(Array.from({ length: 11 }, (_, n) => `CODE-${n}`).join(' ')), 'barcodes', /Не больше 10/);
  });

  it('reads the whole product, refusing the first bad field', () => {
    assert.deepEqual(form.readProduct({ name: '  Чай   чёрный ', barcodes: '96385074', price: '120', vat: '20', unit: 'кг', category: ' Чай ' }), {
      name: 'Чай чёрный',
      barcodes: ['96385074'],
      price: 12000,
      vat: '20',
      unit: 'кг',
      category: 'Чай',
    });
    refusedWith(() => form.readProduct({ name: '', barcodes: '96385074', price: '1', vat: 'none', unit: 'шт' }), 'name', /название/);
    refusedWith(() => form.readProduct({ name: 'x', barcodes: '96385074', price: '1', vat: '18', unit: 'шт' }), 'vat', /НДС/);
    refusedWith(() => form.readProduct({ name: 'x', barcodes: '96385074', price: '1', vat: '22', unit: 'л' }), 'unit', /шт или кг/);
  });
});
