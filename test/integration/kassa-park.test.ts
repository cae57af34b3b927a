// Parked receipts (отложенные чеки): the receipt is put aside while the customer fetches something, the next
// customer is served and paid, and the parked receipt comes back with its lines, prices and discount.
// Refusals write nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { projectRoot, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';

const BREAD = '4607000010075';
const MILK = '4607000010143';

test('a receipt is parked, another one sold, and the parked one resumed as it was; refusals change nothing', async (t) => {
  const host = await startHost(path.join(projectRoot, 'apps', 'kassa'));
  t.after(() => host.stop());
  const till = new TestTerminal(host.url);
  await till.login('kassir', '123');
  assert.equal((await till.action('/action/openShift', { float: '100' })).status, 200);

  const empty = await till.action('/action/parkReceipt');
  assert.equal(empty.status, 422);
  assert.match(empty.body.error.message, /Чек пуст: откладывать нечего/);

  await till.action('/action/scan', { code: BREAD });
  await till.action('/action/scan', { code: BREAD });
  const before = (await till.action('/action/soft-refresh-receipt')).body.html as string;
  const parked = await till.action('/action/parkReceipt');
  assert.equal(parked.status, 200, JSON.stringify(parked.body));
  assert.match(parked.body.html, /Чек отложен \(№1\)/);
  assert.match(parked.body.html, /class="count">0</, 'the receipt was not emptied');
  assert.match(parked.body.html, /class="parked-receipt" data-id="1"/);

  // the next customer: served and paid while the first one's receipt waits
  await till.action('/action/scan', { code: MILK });
  const busy = await till.action('/action/resumeReceipt', { id: '1' });
  assert.equal(busy.status, 422, 'a receipt was resumed over an open one');
  assert.match(busy.body.error.message, /Сначала оплатите, отложите или очистите текущий чек/);
  const paid = await till.action('/action/completeSale', { method: 'card' });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  assert.match(paid.body.html, /class="parked-receipt" data-id="1"/, 'a sale dropped the parked receipt');

  const unknown = await till.action('/action/resumeReceipt', { id: '7' });
  assert.equal(unknown.status, 422);
  assert.match(unknown.body.error.message, /Отложенный чек №7 не найден/);

  const resumed = await till.action('/action/resumeReceipt', { id: '1' });
  assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
  assert.match(resumed.body.html, /Отложенный чек №1 возвращён/);
  assert.doesNotMatch(resumed.body.html, /class="parked-receipt"/);
  const lines = (html: string) => [...html.matchAll(/<span class="name">([^<]*)<\/span><span class="unit">([^<]*)</g)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(lines(resumed.body.html), lines(before), 'the resumed receipt has other lines or prices');
  const total = (html: string) => /class="final">([^<]*)</.exec(html)?.[1];
  assert.equal(total(resumed.body.html), total(before));

  // the parked receipt survives a restart of the till (it is part of the terminal's stored receipt)
  const again = await till.action('/action/parkReceipt');
  assert.equal(again.status, 200);
  await host.flushed();
  assert.match((await till.get('/')).text, /class="parked-receipt" data-id="2"/);
});
