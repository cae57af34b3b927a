// The catalogue CSV's line checks (app/lib/catalogue-csv.js): each bad line gets every reason it has, the
// file as a whole is refused only when it cannot be read; export and import agree with each other.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { kassaDir } from './kassa-modules.js';

const load = createRequire(path.join(kassaDir, 'manifest.js'));
interface Product { id: number; name: string; barcode?: string; barcodes?: string[]; price: number; vat?: string; unit?: string; category?: string; archived?: boolean }
interface Checked {
  fatal?: string;
  rows: Array<{ line: number; id: number | null; product: Record<string, unknown>; archived: boolean; action: string }>;
  bad: Array<{ line: number; reasons: string[] }>;
  counts: Record<string, number>;
}
const csv = load('./app/lib/catalogue-csv.js') as {
  exportCsv(products: Product[]): string;
  checkImport(text: string, products: Product[]): Checked;
  applyImport(rows: Checked['rows'], positions: Product[], history: unknown[], by: string, when: { at: string; text: string }): { added: number; changed: number };
  vatCode(text: string): string | null;
};

const HEADER = '№;Название;Штрихкоды;Цена;НДС;Единица;Категория;В архиве';
const file = (...lines: string[]) => [HEADER, ...lines].join('\n');
const shop = (): Product[] => [
  { id: 1, name: 'Хлеб', barcode: '4607000010075', barcodes: ['4607000010075'], price: 4550, vat: '10', unit: 'шт', category: 'Хлеб', archived: false },
  { id: 7, name: 'Сыр; «Гауда»', barcodes: ['4600000000015', 'CHEESE-1'], price: 89990, vat: '20', unit: 'кг', category: '', archived: true },
];
const reasonsOf = (checked: Checked, line: number) => checked.bad.find((b) => b.line === line)?.reasons ?? [];

describe('catalogue CSV', () => {
  it('exports with a BOM, ";", quotes where a field needs them, prices with a decimal comma', () => {
    const text = csv.exportCsv(shop());
    assert.ok(text.startsWith('\uFEFF' + HEADER + '\r\n'));
    assert.match(text, /\r\n1;Хлеб;4607000010075;45,50;10 %;шт;Хлеб;нет\r\n/);
    assert.match(text, /\r\n7;"Сыр; «Гауда»";4600000000015 CHEESE-1;899,90;20 %;кг;;да\r\n/);
  });

  it('reads its own export back unchanged', () => {
    const checked = csv.checkImport(csv.exportCsv(shop()), shop());
    assert.deepEqual(checked.bad, []);
    assert.deepEqual(checked.counts, { rows: 2, added: 0, changed: 0, same: 2, bad: 0 });
  });

  it('reads VAT as a label or a code, units and "в архиве" loosely', () => {
    assert.deepEqual(['20 %', '20%', '20', ' без НДС ', 'Без ндс', '0 %', '22', '18', 'двадцать'].map(csv.vatCode), ['20', '20', '20', 'none', 'none', '0', '22', null, null]);
    const checked = csv.checkImport(file(';Мёд;4600000000022;500;10;КГ.;;ДА'), []);
    assert.deepEqual(checked.bad, []);
    assert.deepEqual(checked.rows[0].product, { name: 'Мёд', barcodes: ['4600000000022'], price: 50000, vat: '10', unit: 'кг', category: '' });
    assert.equal(checked.rows[0].archived, true);
  });

  it('gives each bad line every reason it has', () => {
    const checked = csv.checkImport(
      file(
        ';;4600000000016;-5;18;л;;может', // 2
        ';Чай;4600000000022 4600000000022;10000000,01;20 %;шт;;', // 3
        ';Кофе;4600000000015;10;20 %;шт;;', // 4
        '7;Сыр «Гауда»;CHEESE-1;10;20 %;кг;;', // 5: its own barcode: fine
        '7;Сыр снова;4600000000039;10;20 %;кг;;', // 6: product 7 twice
        'x1;Ром;4600000000053;10;20 %;шт;;', // 7
        ';Ром;4600000000046;10;20 %;шт;;', // 8: fine
        ';Ром 2;4600000000046;10;20 %;шт;;', // 9: line 8's barcode
      ),
      shop(),
    );
    assert.deepEqual(reasonsOf(checked, 2), [
      'Укажите название товара (до 128 символов)',
      'Штрихкод 4600000000016: неверная контрольная цифра EAN-13 (должна быть 5)',
      'Цена должна быть больше нуля',
      'Ставка НДС «18» неизвестна: без НДС, 0 %, 10 %, 20 % или 22 %',
      'Единица «л» неизвестна: шт или кг',
      'В архиве: «да» или «нет», а не «может»',
    ]);
    assert.deepEqual(reasonsOf(checked, 3), ['Штрихкод 4600000000022 указан дважды', 'Цена не может быть больше 10 000 000,00 ₽']);
    assert.deepEqual(reasonsOf(checked, 4), ['Штрихкод 4600000000015 уже у товара «Сыр; «Гауда»» (№7)']);
    assert.deepEqual(reasonsOf(checked, 5), []);
    assert.deepEqual(reasonsOf(checked, 6), ['Товар №7 уже в строке 5']);
    assert.deepEqual(reasonsOf(checked, 7), ['Номер «x1» — не номер товара']);
    assert.deepEqual(reasonsOf(checked, 9), ['Штрихкод 4600000000046 уже в строке 8 этого файла']);
    assert.deepEqual(checked.bad.map((b) => b.line), [2, 3, 4, 6, 7, 9]);
    assert.deepEqual(checked.rows.map((r) => [r.line, r.action]), [[5, 'change'], [8, 'add']]);
  });

  it('keeps line numbers right across a quoted field with a line break', () => {
    const checked = csv.checkImport(file(';"Два\nстроки";4600000000022;1;20 %;шт;;', ';;4600000000039;1;20 %;шт;;'), []);
    assert.deepEqual(checked.bad.map((b) => b.line), [4]);
  });

  it('refuses a file as a whole only when it cannot be read', () => {
    assert.match(csv.checkImport('', []).fatal!, /Файл пуст/);
    assert.match(csv.checkImport('\uFEFF  \r\n', []).fatal!, /Файл пуст/);
    assert.match(csv.checkImport('Название;Цена\nЧай;1', []).fatal!, /Нет столбцов «Штрихкоды», «НДС», «Единица»/);
    assert.match(csv.checkImport(file(';"Чай;4600000000022;1;20 %;шт;;'), []).fatal!, /кавычка не закрыта/);
    assert.match(csv.checkImport(file(';Чай\uFFFD;4600000000022;1;20 %;шт;;'), []).fatal!, /не в UTF-8/);
    assert.match(csv.checkImport(HEADER + '\n' + ';Чай;1;1;1;1;;\n'.repeat(20_001), []).fatal!, /больше 20 000 строк/);
  });

  it('applies: new products get the next numbers, changes keep the number, price changes go to the history', () => {
    const positions = shop();
    const checked = csv.checkImport(file(';Мёд;4600000000022;500;10;кг;;', '1;Хлеб;4607000010075;47,00;10 %;шт;Хлеб;', '7;Сыр; «Гауда»;4600000000015 CHEESE-1;899,90;20 %;кг;;да'.replace('Сыр; «Гауда»', '"Сыр; «Гауда»"')), positions);
    assert.deepEqual(checked.bad, []);
    const history: any[] = [];
    assert.deepEqual(csv.applyImport(checked.rows, positions, history, 'Петрова', { at: 'T', text: 'now' }), { added: 1, changed: 1 });
    assert.deepEqual(positions.map((p) => [p.id, p.name, p.price]), [[1, 'Хлеб', 4700], [7, 'Сыр; «Гауда»', 89990], [8, 'Мёд', 50000]]);
    assert.deepEqual(history.map((h) => [h.productId, h.oldPrice, h.newPrice, h.by]), [[8, null, 50000, 'Петрова'], [1, 4550, 4700, 'Петрова']]);
  });
});
