// Weighed goods and the catalogue CSV in Chromium. A cashier scans a scale label (as a keyboard-wedge scanner
// types it): the weighed product lands with its weight and the sum rounded half-up to the kopeck; F4 types a
// new weight by hand. A manager downloads the catalogue as CSV, previews a file with bad lines (each listed
// with its reason, nothing written), then a good one, and applies it: the till sells the imported product.
// The screenshots are the README's (docs/screenshots with `npm run screenshots`, a temporary folder otherwise).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { launchBrowser } from '../helpers/browser.js';
import { loginByKeyboard, openShiftByKeyboard, scanLikeAScanner } from '../helpers/kassa-keyboard.js';
import { screenshotsDir } from '../helpers/screenshots.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const load = createRequire(path.join(appDir, 'manifest.js'));
const seed = load('./manifest/seed.js') as { products: Array<Record<string, unknown>> };
const settings = load('./manifest/settings.js') as { scaleLabels: object };
const scale = load('./app/lib/scale-label.js') as { makeLabel(prefix: string, code: number, grams: number, layout: object): string };
const APPLES = { id: 40, barcode: 'APPLE-KG', barcodes: ['APPLE-KG'], name: 'Яблоки весовые', price: 8990, vat: '10', unit: 'кг', category: 'Фрукты', archived: false };
const HEADER = '№;Название;Штрихкоды;Цена;НДС;Единица;Категория;В архиве';

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

describe('kassa in Chromium: weighed goods and the catalogue CSV', () => {
  let host: TestHost;
  let browser: Browser;
  let dataDir: string;
  let till: Page;
  let office: Page;

  before(async () => {
    await mkdir(screenshotsDir, { recursive: true });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-weighed-'));
    await writeFile(path.join(dataDir, 'positions.json'), JSON.stringify({ items: [...seed.products, APPLES] }));
    host = await startHost(appDir, { dataDir });
    browser = await launchBrowser();
    const options = { baseURL: host.url, viewport: { width: 1366, height: 820 }, locale: 'ru-RU', acceptDownloads: true };
    till = await (await browser.newContext(options)).newPage();
    office = await (await browser.newContext(options)).newPage();
    for (const page of [office, till]) page.on('dialog', (dialog) => void dialog.accept());
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a scale label adds the weighed product with its weight and the right sum', async () => {
    await loginByKeyboard(till, 'kassir', '123');
    await openShiftByKeyboard(till, '0');
    await till.locator('#scan-input:focus').waitFor();
    await scanLikeAScanner(till, scale.makeLabel('22', APPLES.id, 512, settings.scaleLabels));
    const line = till.locator(`.receipt-pane .line.current[data-id="${APPLES.id}"]`);
    await line.waitFor();
    assert.match(await line.locator('.unit').innerText(), /89\.90 ₽\/кг × 0\.512 кг/);
    assert.equal(await line.locator('.sum').innerText(), '46.03'); // 46.0288 → 46.03
    assert.equal(await text(till, '.receipt-pane .total'), '46.03');
    await till.locator('#scan-input:focus').waitFor();
    await till.screenshot({ path: path.join(screenshotsDir, 'kassa-weighed.png') });

    // a label of weight 0 is refused with a message and nothing changes
    await scanLikeAScanner(till, scale.makeLabel('22', APPLES.id, 0, settings.scaleLabels));
    await till.locator('#scan-error:not([hidden])', { hasText: 'вес 0 г' }).waitFor();
    assert.equal(await line.locator('.sum').innerText(), '46.03');
  });

  it('F4 on a weighed line types its weight by hand', async () => {
    await till.locator('#scan-input').focus();
    await till.keyboard.press('F4');
    await till.locator('.line.current .weight-input:focus').waitFor();
    await till.keyboard.press('Control+A');
    await till.keyboard.type('0,75');
    await till.keyboard.press('Enter');
    const line = till.locator(`.receipt-pane .line[data-id="${APPLES.id}"]`);
    await line.locator('.unit', { hasText: '× 0.750 кг' }).waitFor();
    assert.equal(await line.locator('.sum').innerText(), '67.43'); // 67.425 → 67.43
  });

  it('the manager downloads the catalogue as CSV', async () => {
    await loginByKeyboard(office, 'admin', 'admin');
    await office.goto('/catalogue');
    await office.locator('a.csv-link').click();
    await office.waitForURL((url) => url.pathname === '/catalogue/csv');
    const [download] = await Promise.all([office.waitForEvent('download'), office.locator('a.export-link').click()]);
    assert.equal(download.suggestedFilename(), 'catalogue.csv');
    const bytes = await readFile((await download.path())!);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    assert.equal(lines[0], HEADER);
    assert.ok(lines.includes('40;Яблоки весовые;APPLE-KG;89,90;10 %;кг;Фрукты;нет'));
  });

  it('previews a file with bad lines (each listed, nothing written), then applies a good one', async () => {
    const before = await readFile(path.join(dataDir, 'positions.json'), 'utf8');
    const bad = [HEADER, ';Груши весовые;PEAR-KG;199,90;10 %;кг;Фрукты;', ';Сливы;4600000000016;0;10 %;кг;;', ';Киви;APPLE-KG;120;10 %;кг;;', ''].join('\r\n');
    await office.locator('#csv-file').setInputFiles({ name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + bad) });
    await office.locator('#csv-check:enabled').click();
    await office.locator('.bad-line[data-line="4"]').waitFor();
    assert.match(await text(office, '.bad-line[data-line="3"] .reasons'), /неверная контрольная цифра.*Цена должна быть больше нуля/);
    assert.match(await text(office, '.bad-line[data-line="4"] .reasons'), /APPLE-KG уже у товара «Яблоки весовые» \(№40\)/);
    assert.equal(await office.locator('.bad-line').count(), 2);
    assert.equal(await office.locator('button.apply').count(), 0);
    await office.screenshot({ path: path.join(screenshotsDir, 'kassa-catalogue-csv.png'), fullPage: true });
    await host.flushed();
    assert.equal(await readFile(path.join(dataDir, 'positions.json'), 'utf8'), before, 'the preview wrote to the catalogue');

    const good = [HEADER, ';Груши весовые;PEAR-KG;199,90;10 %;кг;Фрукты;', '40;Яблоки весовые;APPLE-KG;99,90;10 %;кг;Фрукты;нет', ''].join('\r\n');
    await office.locator('#csv-file').setInputFiles({ name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + good) });
    await office.locator('#csv-check:enabled').click();
    await office.locator('.csv-result .summary', { hasText: 'Новых товаров: 1, изменений: 1' }).waitFor();
    await office.locator('button.apply').click();
    await office.locator('.csv-result .applied', { hasText: 'новых товаров 1, изменено 1' }).waitFor();

    // the till sells the imported product by its label at once
    await host.flushed();
    const pears = JSON.parse(await readFile(path.join(dataDir, 'positions.json'), 'utf8')).items.find((p: { name: string }) => p.name === 'Груши весовые');
    await till.locator('#scan-input').focus();
    await scanLikeAScanner(till, scale.makeLabel('21', pears.id, 1000, settings.scaleLabels));
    const line = till.locator(`.receipt-pane .line[data-id="${pears.id}"]`);
    await line.waitFor();
    assert.equal(await line.locator('.sum').innerText(), '199.90');
  });
});
