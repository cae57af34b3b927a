// The catalogue as a CSV file over real HTTP: the export is UTF-8 with a BOM, ";" and Russian headers; an
// import's preview lists every bad line with its reason and writes nothing; applying writes every line in one
// transaction (a line that no longer fits when applying refuses the whole file); a cashier gets 403.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { projectRoot, type TestHost } from '../helpers/host.js';
import type { TestTerminal } from '../helpers/http-client.js';
import { startKassaOffice, type KassaOffice } from '../helpers/kassa-office.js';

const barcode = createRequire(path.join(projectRoot, 'apps', 'kassa', 'manifest.js'))('./app/lib/barcode.js') as { checkDigit(body: string): number };
const HEADER = '№;Название;Штрихкоды;Цена;НДС;Единица;Категория;В архиве';
const csvOf = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';

describe('kassa: catalogue CSV export and import', () => {
  let host: TestHost;
  let manager: TestTerminal;
  let cashier: TestTerminal;
  let stored: KassaOffice['stored'];
  let catalogue: KassaOffice['catalogue'];

  before(async () => {
    ({ host, manager, cashier, stored, catalogue } = await startKassaOffice());
  });
  after(() => host.stop());

  it('exports the catalogue as UTF-8 with a BOM, ";" and Russian headers', async () => {
    const response = await fetch(`${host.url}/catalogue/export.csv`, { headers: { cookie: manager.cookieHeader() } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="catalogue\.csv"/);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no BOM');
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    assert.equal(lines[0], HEADER);
    assert.equal(lines[1], '1;Хлеб Бородинский;4607000010075;45,50;20 %;шт;;нет');
    assert.equal(lines.filter(Boolean).length, 1 + 37, 'the demo catalogue has 37 products');
  });

  it('an exported file imported again changes nothing', async () => {
    const response = await fetch(`${host.url}/catalogue/export.csv`, { headers: { cookie: manager.cookieHeader() } });
    const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
    const preview = await manager.action('/action/catalogue/csv/preview', { csv: text, fileName: 'catalogue.csv' });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.match(preview.body.html, /Новых товаров: 0, изменений: 0, без изменений: 37/);
    assert.doesNotMatch(preview.body.html, /class="primary apply"/);
  });

  it('the preview lists every bad line with its reason and writes nothing', async () => {
    const before = await stored();
    const file = csvOf(
      ';Пельмени;4600000000015;349,90;10 %;шт;Заморозка;', // 2: good
      ';Вареники;4600000000016;120;10 %;шт;;', // 3: check digit (…15 is right)
      ';Манты;4600000000015;200;20 %;шт;;', // 4: the barcode of line 2
      ';Хинкали;4607000010075;200;20 %;шт;;', // 5: bread's barcode
      ';;4600000000022;10;20 %;шт;;', // 6: empty name
      ';Икра;4600000000039;0;20 %;шт;;', // 7: price 0
      ';Бриллиант;4600000000046;10000000,01;20 %;шт;;', // 8: above 10,000,000.00
      ';Квас;4600000000053;90;18 %;л;;', // 9: unknown VAT and unit
      ';Сок;4600000000060;90;20 %;шт', // 10: two fields short
      '999;Нет такого;4600000000077;90;20 %;шт;;', // 11: no product 999
      '2;Молоко 3.2%;4607000010143;85,00;20 %;шт;;нет', // 12: good (a new price)
    );
    const preview = await manager.action('/action/catalogue/csv/preview', { csv: file, fileName: 'new.csv' });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    const html = preview.body.html as string;
    const bad = Object.fromEntries([...html.matchAll(/data-line="(\d+)"><td class="num">\d+<\/td><td class="reasons">([^<]*)</g)].map((m) => [m[1], m[2]]));
    assert.deepEqual(Object.keys(bad).map(Number), [3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.match(bad[3], /неверная контрольная цифра EAN-13 \(должна быть 5\)/);
    assert.match(bad[4], /Штрихкод 4600000000015 уже в строке 2 этого файла/);
    assert.match(bad[5], /уже у товара «Хлеб Бородинский» \(№1\)/);
    assert.match(bad[6], /Укажите название товара/);
    assert.match(bad[7], /Цена должна быть больше нуля/);
    assert.match(bad[8], /не может быть больше 10 000 000,00/);
    assert.match(bad[9], /Ставка НДС «18 %» неизвестна.*Единица «л» неизвестна/);
    assert.match(bad[10], /Число полей 6, а в заголовке 8/);
    assert.match(bad[11], /Товара №999 нет в каталоге/);
    assert.match(html, /Ошибок: 9\. Исправьте файл/);
    assert.doesNotMatch(html, /class="primary apply"/, 'a file with bad lines can be applied');
    assert.equal(await stored(), before, 'the preview wrote to the catalogue');
    const apply = await manager.action('/action/catalogue/csv/apply');
    assert.equal(apply.status, 409);
    assert.match(apply.body.error.message, /Сначала проверьте файл/);
    assert.equal(await stored(), before);
  });

  it('refuses a file that cannot be read: empty, no headers, an open quote (422)', async () => {
    for (const [csv, message] of [
      ['', /Файл пуст/],
      ['a;b;c\r\n1;2;3\r\n', /Нет столбцов «Название», «Штрихкоды», «Цена», «НДС», «Единица»/],
      [csvOf(';"Открытая кавычка;4600000000015;1;20 %;шт;;'), /кавычка не закрыта/],
    ] as const) {
      const refused = await manager.action('/action/catalogue/csv/preview', { csv });
      assert.equal(refused.status, 422, csv);
      assert.match(refused.body.error.message, message);
      assert.deepEqual(Object.keys(refused.body.error.fields), ['csv']);
    }
  });

  it('applies a checked file in one transaction: every line or none', async () => {
    const file = csvOf(
      ';Пельмени;4600000000015 PELM-1;349,90;10 %;шт;Заморозка;',
      ';Груши весовые;PEAR-KG;199,90;10%;кг;Фрукты;',
      '2;Молоко 3.2%;4607000010143;85,00;20 %;шт;;нет',
      '3;Сыр Российский;4607000010211;250,75;20 %;шт;;да',
    );
    const preview = await manager.action('/action/catalogue/csv/preview', { csv: file, fileName: 'ok.csv' });
    assert.equal(preview.status, 200);
    assert.match(preview.body.html, /Новых товаров: 2, изменений: 2, без изменений: 0/);
    assert.match(preview.body.html, /class="primary apply"/);

    // the catalogue changes after the check: PEAR-KG is now another product's, so the file is refused whole
    const taken = await manager.action('/action/catalogue/save', { name: 'Груша штучная', barcodes: 'PEAR-KG', price: '30', vat: '10', unit: 'шт', category: '' });
    assert.equal(taken.status, 200);
    const before = await stored();
    const stale = await manager.action('/action/catalogue/csv/apply');
    assert.equal(stale.status, 409);
    assert.match(stale.body.error.message, /Каталог изменился после проверки/);
    assert.equal(await stored(), before, 'a part of the file was written');

    const fixed = file.replace('PEAR-KG', 'PEAR-KG-2');
    assert.equal((await manager.action('/action/catalogue/csv/preview', { csv: fixed })).status, 200);
    const applied = await manager.action('/action/catalogue/csv/apply');
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.match(applied.body.html, /Каталог обновлён: новых товаров 2, изменено 2/);
    const items = await catalogue();
    const byName = (name: string) => items.find((p) => p.name === name)!;
    assert.deepEqual(byName('Пельмени').barcodes, ['4600000000015', 'PELM-1']);
    assert.deepEqual([byName('Груши весовые').unit, byName('Груши весовые').price, byName('Груши весовые').vat], ['кг', 19990, '10']);
    assert.equal(byName('Молоко 3.2%').price, 8500);
    assert.equal(byName('Сыр Российский').archived, true);
    await host.flushed();
    const history = (await readFile(path.join(host.dataDir, 'priceHistory.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(history.some((h) => h.productId === 2 && h.oldPrice === 8000 && h.newPrice === 8500 && h.by === 'Петрова А.С.'));
    // the preview is used up
    assert.equal((await manager.action('/action/catalogue/csv/apply')).status, 409);
  });

  it('takes a file over 1 MB (the route allows 8 MB) and refuses a larger one with the limit named', async () => {
    const lines = Array.from({ length: 12_000 }, (_, k) => {
      const body = `46${String(900_000 + k).padStart(10, '0')}`;
      return `;Товар с довольно длинным названием для проверки размера файла, вариант ${k};${body}${barcode.checkDigit(body)};99,90;20 %;шт;Длинная категория;`;
    });
    const file = csvOf(...lines);
    assert.ok(Buffer.byteLength(JSON.stringify({ csv: file })) > 1_500_000);
    const preview = await manager.action('/action/catalogue/csv/preview', { csv: file });
    assert.equal(preview.status, 200, JSON.stringify(preview.body).slice(0, 300));
    assert.match(preview.body.html, /Новых товаров: 12000/);
    const huge = await manager.action('/action/catalogue/csv/preview', { csv: file.repeat(6) });
    assert.equal(huge.status, 413);
    assert.match(huge.body.error.message, /больше 8 МБ/);
  });

  it('is the manager’s: a cashier gets 403 and writes nothing', async () => {
    const before = await stored();
    const page = await cashier.get('/catalogue/csv');
    assert.equal(page.status, 403);
    const file = await fetch(`${host.url}/catalogue/export.csv`, { headers: { cookie: cashier.cookieHeader() } });
    assert.equal(file.status, 403);
    assert.equal((await cashier.action('/action/catalogue/csv/preview', { csv: csvOf(';Чай;4600000000015;1;20 %;шт;;') })).status, 403);
    assert.equal((await cashier.action('/action/catalogue/csv/apply')).status, 403);
    assert.equal(await stored(), before);
  });
});
