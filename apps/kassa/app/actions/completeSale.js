'use strict';
// Completes the paid receipt (context.payment from preparePayment): appends the sale record to the
// sales journal, adds it to the shift's and the day's totals, keeps it as the terminal's last sale
// for printing, and starts a new receipt showing the change due. The action commits all of it or
// nothing (manifest/routes/sale.js). The stock goes down in the same transaction (app/lib/stock.js).
const clock = require('../lib/clock.js');
const cash = require('../lib/cash-move.js');
const { emptyReceipt } = require('../../manifest/connectors.js');
const settings = require('../../manifest/settings.js');
const money = require('../lib/money.js');
const vat = require('../lib/vat.js');
const stock = require('../lib/stock.js');

function addTo(totals, method, amount) {
  totals.count += 1;
  totals.total += amount;
  totals[method] += amount;
}

module.exports = function completeSale(context) {
  const { data, user, terminal } = context;
  const payment = context.context.payment;
  const receipt = data.receipt;
  const shift = data.shift;
  const when = clock.stamp();
  // lines put on the receipt before products had their own rate carry the shop's default one
  const lineVat = vat.receiptVat(
    receipt.items.map((line) => ({ sum: line.sum, vat: line.vat ?? String(settings.vat.percent) })),
    receipt.discount,
  );
  const number = shift.receiptSeq + 1;
  const sale = {
    id: `${terminal.id}/${shift.number}/${number}`,
    number,
    shift: shift.number,
    terminal: { id: terminal.id, name: terminal.name },
    cashier: { login: user.login, name: user.name },
    at: when.at,
    day: when.day,
    timeText: when.text,
    lines: receipt.items.map(({ id, barcode, name, price, quantity, sum, unit, grams }, index) => ({
      id,
      barcode,
      name,
      price,
      quantity,
      sum,
      // the unit is kept, so a return knows pieces from kilograms however the catalogue changes later
      ...(unit === 'кг' ? { unit, grams, weightText: money.formatWeight(grams) } : { unit: 'шт' }),
      // the line's VAT rate and the VAT in what is paid for it (app/lib/vat.js)
      vat: lineVat.lines[index].vat,
      vatLabel: lineVat.lines[index].vatLabel,
      vatAmount: lineVat.lines[index].vatAmount,
    })),
    itemCount: receipt.itemCount,
    total: receipt.total,
    discountPercent: receipt.discountPercent,
    discount: receipt.discount,
    finalTotal: receipt.finalTotal,
    coupon: receipt.coupon,
    bonus: receipt.bonusApplied,
    payment: { method: payment.method, tendered: payment.tendered, change: payment.change },
    // the VAT included in the amount paid, per rate (printed; no fiscal register is connected yet)
    vatRates: lineVat.rates,
  };
  // the goods leave the stock in the same transaction; a line sold below zero is flagged on the record
  const onHand = stock.applyChanges(data.stock.items, context.context.stockRows, sale.lines.map((line) => ({ id: line.id, delta: -stock.unitsOf(line) })));
  for (const line of sale.lines) if (onHand.get(line.id) < 0) line.belowZero = true;
  data.sales.items.push(sale);

  shift.receiptSeq = number;
  if (!shift.firstReceipt) shift.firstReceipt = number;
  shift.salesCount += 1;
  shift.gross += sale.total;
  shift.discounts += sale.discount;
  shift.net += sale.finalTotal;
  shift[payment.method] += sale.finalTotal;
  shift[`${payment.method}Count`] += 1;
  cash.settle(shift);

  const daily = data.daily;
  if (daily.day !== when.day) cash.startDay(daily, when.day);
  addTo(daily, payment.method, sale.finalTotal);
  daily.discounts += sale.discount;
  let row = daily.terminals.find((r) => r.id === terminal.id);
  if (!row) {
    row = { id: terminal.id, name: terminal.name, count: 0, total: 0, cash: 0, card: 0 };
    daily.terminals.push(row);
  }
  addTo(row, payment.method, sale.finalTotal);
  Object.assign(row, { name: terminal.name, cashier: user.name, lastNumber: number, lastTime: when.text });
  cash.settleDay(daily);

  data.lastSale = { sale };
  data.receipt = {
    ...structuredClone(emptyReceipt),
    revision: (receipt.revision || 0) + 1,
    // receipts put aside stay aside
    parked: receipt.parked || [],
    parkSeq: receipt.parkSeq || 0,
    paid: { number, finalTotal: sale.finalTotal, method: payment.method, tendered: payment.tendered, change: payment.change },
  };
};
