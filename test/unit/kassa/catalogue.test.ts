// The demo data of the till: at least 30 products with valid, unique EAN-13 barcodes and prices in
// kopecks, the original's five products first, and the two demo accounts (kassir / 123, admin / admin).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { seed } from './kassa-modules.js';

function ean13Valid(code: string): boolean {
  if (!/^\d{13}$/.test(code)) return false;
  const digits = [...code].map(Number);
  const sum = digits.slice(0, 12).reduce((acc, d, i) => acc + d * (i % 2 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === digits[12];
}

describe('kassa demo catalogue and accounts', () => {
  it('has at least 30 products with unique ids and valid unique EAN-13 barcodes', () => {
    assert.ok(seed.products.length >= 30, `only ${seed.products.length} products`);
    assert.equal(new Set(seed.products.map((p) => p.id)).size, seed.products.length);
    assert.equal(new Set(seed.products.map((p) => p.barcode)).size, seed.products.length);
    for (const p of seed.products) {
      assert.ok(ean13Valid(p.barcode), `${p.name}: ${p.barcode} is not a valid EAN-13`);
      assert.ok(Number.isSafeInteger(p.price) && p.price > 0, `${p.name}: price ${p.price} is not kopecks`);
      assert.ok(p.name.trim().length > 0);
    }
  });

  it('starts with the original example’s products and prices', () => {
    assert.deepEqual(
      seed.products.slice(0, 5).map((p) => [p.id, p.name, p.price]),
      [
        [1, 'Хлеб Бородинский', 4550],
        [2, 'Молоко 3.2%', 8000],
        [3, 'Сыр Российский', 25075],
        [4, 'Кефир 1%', 7500],
        [5, 'Масло сливочное', 18000],
      ],
    );
  });

  it('has kassir / 123 (Кассир) and admin / admin (Менеджер) with bcrypt hashes', () => {
    const kassir = seed.users.find((u) => u.login === 'kassir')!;
    const admin = seed.users.find((u) => u.login === 'admin')!;
    assert.equal(kassir.role, 'Кассир');
    assert.equal(admin.role, 'Менеджер');
    assert.ok(bcrypt.compareSync('123', kassir.passwordHash));
    assert.ok(bcrypt.compareSync('admin', admin.passwordHash));
    assert.match(kassir.passwordHash, /^\$2[aby]\$10\$/);
  });
});
