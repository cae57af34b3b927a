import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  choosePrinter,
  cssPxToMicrons,
  MIN_PAGE_MICRONS,
  paperWidthPx,
  printFailureMessage,
  receiptPrintOptions,
} from '../../../electron/print-options.js';

const printers = [
  { name: 'XP-80C', displayName: 'XPrinter 80', description: 'receipt' },
  { name: 'HP_LaserJet', displayName: 'HP LaserJet', description: 'office' },
];

describe('receipt print options', () => {
  it('prints silently on a page as wide as the roll, with no margins', () => {
    const options = receiptPrintOptions({ widthMm: 58, contentHeightPx: 960, deviceName: 'XP-58' });
    assert.equal(options.silent, true);
    assert.deepEqual(options.margins, { marginType: 'none' });
    assert.deepEqual(options.pageSize, { width: 58_000, height: 254_000 });
    assert.equal(options.deviceName, 'XP-58');
    assert.equal(options.copies, 1);
  });

  it('defaults to an 80 mm roll and the system default printer', () => {
    const options = receiptPrintOptions({ contentHeightPx: 96 });
    assert.deepEqual(options.pageSize, { width: 80_000, height: 25_400 });
    assert.equal('deviceName' in options, false);
  });

  it('keeps the page within what Chromium accepts', () => {
    const empty = receiptPrintOptions({ contentHeightPx: 0 });
    assert.deepEqual(empty.pageSize, { width: 80_000, height: MIN_PAGE_MICRONS });
    const runaway = receiptPrintOptions({ contentHeightPx: 10_000_000 });
    assert.equal((runaway.pageSize as { height: number }).height, 2_000_000);
  });

  it('converts CSS pixels and paper widths exactly', () => {
    assert.equal(cssPxToMicrons(96), 25_400);
    assert.equal(paperWidthPx(80), 302);
    assert.equal(paperWidthPx(58), 219);
  });
});

describe('printer choice', () => {
  it('uses the requested printer, else the configured one, else the default', () => {
    assert.deepEqual(choosePrinter('HP_LaserJet', 'XP-80C', printers), { ok: true, deviceName: 'HP_LaserJet' });
    assert.deepEqual(choosePrinter(undefined, 'XP-80C', printers), { ok: true, deviceName: 'XP-80C' });
    assert.deepEqual(choosePrinter(undefined, undefined, printers), { ok: true });
  });

  it('accepts the name the settings page shows', () => {
    assert.deepEqual(choosePrinter('XPrinter 80', undefined, printers), { ok: true, deviceName: 'XP-80C' });
  });

  it('says which printers exist when the named one is missing', () => {
    const choice = choosePrinter('Star TSP100', undefined, printers);
    assert.equal(choice.ok, false);
    assert.match(!choice.ok ? choice.message : '', /«Star TSP100» не найден.*XP-80C, HP_LaserJet/);
  });

  it('says there is no printer at all', () => {
    const choice = choosePrinter(undefined, undefined, []);
    assert.equal(choice.ok, false);
    assert.match(!choice.ok ? choice.message : '', /Принтеры не найдены/);
  });
});

describe('failure messages', () => {
  it('explain each known failure in Russian and keep the printer\'s own reason', () => {
    const failed = printFailureMessage('Print job failed', 'XP-80C');
    assert.match(failed, /есть ли в нём бумага|в нём есть бумага/);
    assert.match(failed, /Принтер: «XP-80C»/);
    assert.match(failed, /Причина: Print job failed\./);
    assert.match(printFailureMessage('Print job canceled'), /^Печать отменена\./);
    assert.match(printFailureMessage('Invalid printer settings'), /ширину ленты/);
  });

  it('still shows an unknown reason', () => {
    assert.equal(printFailureMessage('Paper jam in tray 2'), 'Не удалось напечатать чек. Причина: Paper jam in tray 2.');
    assert.equal(printFailureMessage(''), 'Не удалось напечатать чек.');
  });
});
