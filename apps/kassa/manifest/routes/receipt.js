// The open receipt of a terminal: the original's operations with their route keys and body fields
// (addItem {id}, removeItem {itemId}, clearReceipt, applyCoupon {coupon_code}, applyBonus,
// filterPositions {query}, soft-refresh-receipt), plus scanning (barcodes, scale labels, "0,512*code"), typed
// quantities and weights, and deleting a line.
// Totals are recomputed by app/actions/recalculate.js (money rules: app/lib/money.js).
const t = require('../strings.js');
const settings = require('../settings.js');
const money = require('../../app/lib/money.js');
const { message, refuseIf } = require('../expr.js');
const { emptyReceipt } = require('../connectors.js');
const { tillListSteps, searchMatchSteps } = require('../till-list.js');

const recalc = { 'action:run': { name: 'recalculateReceiptLogic' } };
const receiptAction = (steps, reads = ['receipt']) => ({
  type: 'action',
  reads,
  writes: ['receipt'],
  update: 'receipt',
  steps,
});

/** body.itemId as a line id (digits only), refused with a message otherwise; then the line itself. */
const findLine = [
  {
    set: 'context.itemId',
    to: `zod.string().regex(/^\\d{1,9}$/, ${JSON.stringify(t.errors.badLine)}).transform(Number).parse(String(body.itemId ?? ''))`,
  },
  { set: 'context.line', to: 'data.receipt.items.find(i => i.id === context.itemId)' },
  refuseIf('!context.line', t.errors.noLine, {}, { status: 409 }),
];

const couponList = JSON.stringify(settings.coupons);
const KG = JSON.stringify('кг');
/** a new receipt line of context.product: it keeps the price and the VAT rate shown now */
const newLine = `({ id: context.product.id, barcode: context.product.barcode, name: context.product.name, price: context.product.price, quantity: 1, vat: context.product.vat || ${JSON.stringify(String(settings.vat.percent))} })`;
const bonusPart = `(data.receipt.bonusApplied ? ${settings.bonus.percent} : 0)`;

module.exports = {
  recalculateReceiptLogic: {
    type: 'action',
    internal: true,
    steps: [
      // what is on hand of each line's product, when the calling route reads the stock: a line selling
      // below zero is flagged (selling is allowed; the paperwork may come later)
      {
        set: 'context.onHand',
        to: "data.stock ? data.receipt.items.map(line => (keyed(data.stock.items, 'id').get(line.id) || { onHand: 0 }).onHand) : null",
      },
      { run: 'recalculate' },
    ],
  },

  // Adds context.product to the receipt: one piece (a new line or one more on its line), or for a weighed
  // product (unit кг) context.grams from a scale label or a typed weight, added to its line's weight.
  addProductLine: {
    type: 'action',
    internal: true,
    steps: [
      { set: 'context.line', to: 'data.receipt.items.find(i => i.id === context.product.id)' },
      {
        if: `context.product.unit === ${KG}`,
        then: [
          refuseIf('!context.grams', t.scale.needWeight, { name: 'context.product.name', id: 'context.product.id' }, { field: 'code' }),
          {
            if: 'context.line',
            then: [
              refuseIf(`context.line.grams + context.grams > ${money.MAX_GRAMS}`, t.scale.tooHeavy, {}, { field: 'code' }),
              { set: 'context.line.grams', to: 'context.line.grams + context.grams' },
            ],
            else: [{ set: 'data.receipt.items', to: `data.receipt.items.concat([{ ...${newLine}, unit: ${KG}, grams: context.grams }])` }],
          },
        ],
        else: [
          {
            if: 'context.line',
            then: [
              refuseIf(`context.line.quantity >= ${settings.maxQuantity}`, t.errors.badQty, {}, { field: 'qty' }),
              { set: 'context.line.quantity', to: 'context.line.quantity + 1' },
            ],
            else: [{ set: 'data.receipt.items', to: `data.receipt.items.concat([${newLine}])` }],
          },
        ],
      },
      { set: 'data.receipt.currentId', to: 'context.product.id' },
      { set: 'data.receipt.statusMessage', to: "''" },
      { set: 'data.receipt.paid', to: 'null' },
      recalc,
    ],
  },

  'POST /action/addItem': receiptAction(
    [
      { set: 'context.product', to: 'data.positions.items.find(p => String(p.id) === String(body.id ?? ""))' },
      refuseIf('!context.product', t.errors.unknownProduct, { id: "body.id ?? ''" }, { field: 'id' }),
      refuseIf('context.product.archived', t.errors.archivedProduct, { name: 'context.product.name' }, { field: 'id' }),
      { 'action:run': { name: 'addProductLine' } },
    ],
    ['positions', 'receipt', 'stock'],
  ),

  // A keyboard-wedge scanner types the barcode and Enter; a short code is a product number.
  'POST /action/scan': receiptAction(
    [
      { set: 'context.code', to: "String(body.code ?? '').trim()" },
      refuseIf("context.code === ''", t.errors.emptyCode, {}, { field: 'code' }),
      // "0,512*code" (a typed weight) and scale labels (app/actions/readScanCode.js)
      { run: 'readScanCode' },
      {
        set: 'context.product',
        // any of a product's barcodes (the catalogue's index); a short code is a product number
        to: "keyed(data.positions.items, 'barcodes').get(context.code) || keyed(data.positions.items, 'barcode').get(context.code) || (/^\\d{1,6}$/.test(context.code) ? keyed(data.positions.items, 'id').get(Number(context.code)) : undefined)",
      },
      // a scale label no product has as its own barcode: the product by its number, with the label's weight
      {
        if: '!context.product && context.label',
        then: [
          refuseIf("context.label.reason === 'checkDigit'", t.scale.checkDigit, { code: 'context.code', expected: 'context.label.expected' }, { field: 'code' }),
          refuseIf("context.label.reason === 'zeroWeight'", t.scale.zeroWeight, { code: 'context.code' }, { field: 'code' }),
          { set: 'context.product', to: "keyed(data.positions.items, 'id').get(context.label.productCode)" },
          refuseIf('!context.product', t.scale.unknownProduct, { code: 'context.code', number: 'context.label.productCode' }, { field: 'code' }),
          refuseIf(`context.product.unit !== ${KG}`, t.scale.notWeighed, { code: 'context.code', name: 'context.product.name' }, { field: 'code' }),
          { set: 'context.grams', to: 'context.label.grams' },
        ],
      },
      refuseIf('!context.product', t.errors.unknownCode, { code: 'context.code' }, { field: 'code' }),
      refuseIf('context.product.archived', t.errors.archivedProduct, { name: 'context.product.name' }, { field: 'code' }),
      {
        if: 'context.typedGrams',
        then: [
          refuseIf(`context.product.unit !== ${KG}`, t.scale.typedNotWeighed, { name: 'context.product.name' }, { field: 'code' }),
          { set: 'context.grams', to: 'context.typedGrams' },
        ],
      },
      { 'action:run': { name: 'addProductLine' } },
    ],
    ['positions', 'receipt', 'stock'],
  ),

  'POST /action/removeItem': receiptAction([
    ...findLine,
    {
      if: 'context.line.quantity > 1',
      then: [
        { set: 'context.line.quantity', to: 'context.line.quantity - 1' },
        { set: 'data.receipt.currentId', to: 'context.itemId' },
      ],
      else: [{ set: 'data.receipt.items', to: 'data.receipt.items.filter(i => i.id !== context.itemId)' }],
    },
    { set: 'data.receipt.statusMessage', to: "''" },
    recalc,
  ], ['receipt', 'stock']),

  'POST /action/deleteLine': receiptAction([
    ...findLine,
    { set: 'data.receipt.items', to: 'data.receipt.items.filter(i => i.id !== context.itemId)' },
    { set: 'data.receipt.statusMessage', to: "''" },
    recalc,
  ]),

  // A typed quantity: 0 removes the line.
  'POST /action/setQuantity': receiptAction([
    ...findLine,
    {
      // a weighed line's field is its weight in kg (manual weight entry): never 0
      if: `context.line.unit === ${KG}`,
      then: [
        { run: 'readTypedWeight' },
        { set: 'context.line.grams', to: 'context.grams' },
        { set: 'data.receipt.currentId', to: 'context.itemId' },
      ],
      else: [
        { set: 'context.qtyText', to: "String(body.qty ?? '').trim()" },
        refuseIf(`!/^\\d{1,3}$/.test(context.qtyText) || Number(context.qtyText) > ${settings.maxQuantity}`, t.errors.badQty, {}, { field: 'qty' }),
        {
          if: 'Number(context.qtyText) === 0',
          then: [{ set: 'data.receipt.items', to: 'data.receipt.items.filter(i => i.id !== context.itemId)' }],
          else: [
            { set: 'context.line.quantity', to: 'Number(context.qtyText)' },
            { set: 'data.receipt.currentId', to: 'context.itemId' },
          ],
        },
      ],
    },
    { set: 'data.receipt.statusMessage', to: "''" },
    recalc,
  ], ['receipt', 'stock']),

  'POST /action/clearReceipt': receiptAction([
    // a fresh receipt, with the revision counting on (a pay form showing the old one stays stale)
    // "скидка сброшена" only when a coupon or the bonus was actually dropped
    {
      set: 'context.discountReset',
      to: `data.receipt.discountPercent !== ${settings.defaultDiscountPercent} || !!data.receipt.coupon || !!data.receipt.bonusApplied`,
    },
    // receipts put aside stay aside
    {
      set: 'data.receipt',
      to: `Object.assign(${JSON.stringify(emptyReceipt)}, { revision: data.receipt.revision || 0, parked: data.receipt.parked || [], parkSeq: data.receipt.parkSeq || 0 })`,
    },
    {
      set: 'data.receipt.statusMessage',
      to: `context.discountReset ? ${JSON.stringify(t.status.clearedDiscountReset)} : ${JSON.stringify(t.status.cleared)}`,
    },
    recalc,
  ]),

  // A coupon replaces the default discount. An unknown one is refused and the discount stays as it
  // was (the original reset it to 0 % — a typo at the counter must not cost the customer the
  // discount). The bonus, once applied, stays on top of whichever coupon follows (the original dropped it).
  'POST /action/applyCoupon': receiptAction([
    { set: 'context.code', to: "String(body.coupon_code ?? '').trim().toUpperCase()" },
    refuseIf("context.code === ''", t.errors.couponEmpty, {}, { field: 'coupon_code' }),
    { set: 'context.coupon', to: `${couponList}.find(c => c.code === context.code)` },
    refuseIf('!context.coupon', t.errors.couponUnknown, { code: 'context.code.slice(0, 20)' }, { field: 'coupon_code' }),
    { set: 'data.receipt.coupon', to: 'context.coupon.code' },
    { set: 'data.receipt.discountPercent', to: `context.coupon.percent + ${bonusPart}` },
    { set: 'data.receipt.statusMessage', to: message(t.status.couponApplied, { code: 'context.coupon.code' }) },
    recalc,
  ]),

  'POST /action/applyBonus': receiptAction([
    {
      if: `data.receipt.total > ${settings.bonus.minTotal} && !data.receipt.bonusApplied`,
      then: [
        { set: 'data.receipt.discountPercent', to: `data.receipt.discountPercent + ${settings.bonus.percent}` },
        { set: 'data.receipt.bonusApplied', to: true },
        { set: 'data.receipt.statusMessage', to: JSON.stringify(t.status.bonusApplied) },
      ],
      else: [
        {
          set: 'data.receipt.statusMessage',
          to: `data.receipt.bonusApplied ? ${JSON.stringify(t.status.bonusAlready)} : ${JSON.stringify(t.status.bonusTooSmall)}`,
        },
      ],
    },
    recalc,
  ]),

  // Enter in the catalogue search adds the product the query names (its only match).
  'POST /action/addSearchMatch': receiptAction(
    [
      ...searchMatchSteps('body.query'),
      { run: 'pickSearchMatch' },
      { if: 'context.refusal', then: [{ fail: 'context.refusal', status: 422, field: 'query' }] },
      { 'action:run': { name: 'addProductLine' } },
    ],
    ['positions', 'receipt', 'stock'],
  ),

  // one page of the matches (manifest/till-list.js); viewState keeps the query and the page shown
  'POST /action/filterPositions': {
    type: 'action',
    reads: ['positions', 'viewState'],
    writes: ['viewState'],
    update: 'positionsList',
    steps: [
      ...tillListSteps('body.query'),
      { set: 'data.viewState.query', to: 'context.tillQuery' },
      { set: 'data.viewState.filtered', to: 'context.tillList.items' },
    ],
  },

  // Soft refreshes (the seed's pattern): read-only, re-render from fresh data.
  // Put the receipt aside (the customer fetches something) and serve the next one; resume it later on this
  // terminal. It keeps its lines, prices and discount as the customer saw them.
  'POST /action/parkReceipt': receiptAction([
    refuseIf('data.receipt.items.length === 0', t.park.nothingToPark),
    refuseIf(`(data.receipt.parked || []).length >= ${settings.maxParkedReceipts}`, t.park.tooMany, { max: String(settings.maxParkedReceipts) }),
    { set: 'context.parkId', to: '(data.receipt.parkSeq || 0) + 1' },
    {
      set: 'context.parkedReceipt',
      to:
        '({ id: context.parkId, at: new Date().toISOString(), itemCount: data.receipt.itemCount, finalTotal: data.receipt.finalTotal, ' +
        'items: data.receipt.items, discountPercent: data.receipt.discountPercent, coupon: data.receipt.coupon, bonusApplied: data.receipt.bonusApplied, currentId: data.receipt.currentId })',
    },
    {
      set: 'data.receipt',
      to: `Object.assign(${JSON.stringify(emptyReceipt)}, { revision: data.receipt.revision || 0, parked: (data.receipt.parked || []).concat([context.parkedReceipt]), parkSeq: context.parkId })`,
    },
    { set: 'data.receipt.statusMessage', to: message(t.park.parked, { id: 'context.parkId' }) },
    recalc,
  ]),
  'POST /action/resumeReceipt': receiptAction([
    refuseIf('data.receipt.items.length > 0', t.park.finishFirst),
    { set: 'context.wanted', to: '(data.receipt.parked || []).find(p => String(p.id) === String(body.id ?? ""))' },
    refuseIf('!context.wanted', t.park.unknown, { id: "String(body.id ?? '')" }),
    {
      set: 'data.receipt',
      to:
        `Object.assign(${JSON.stringify(emptyReceipt)}, { items: context.wanted.items, discountPercent: context.wanted.discountPercent, ` +
        'coupon: context.wanted.coupon, bonusApplied: context.wanted.bonusApplied, currentId: context.wanted.currentId, ' +
        'revision: data.receipt.revision || 0, parked: data.receipt.parked.filter(p => p.id !== context.wanted.id), parkSeq: data.receipt.parkSeq })',
    },
    { set: 'data.receipt.statusMessage', to: message(t.park.resumed, { id: 'context.wanted.id' }) },
    recalc,
  ]),

  'POST /action/soft-refresh-receipt': { type: 'action', reads: ['receipt'], update: 'receipt', steps: [] },
  'POST /action/soft-refresh-display': { type: 'action', reads: ['receipt'], update: 'customerDisplay', steps: [] },
};
