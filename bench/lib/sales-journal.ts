// A sales journal written before a host starts: records shaped like apps/kassa's completed sales (three
// lines each), for the benchmarks that need a large journal (growth, backup).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** A completed sale as the app's completeSale action records it (three lines). */
export function saleRecord(n: number): string {
  const lines = [1, 2, 3].map((k) => ({ id: k, barcode: `460700001${String(k).padStart(4, '0')}`, name: `Товар ${k}`, price: 4550 * k, quantity: k, sum: 4550 * k * k }));
  const total = lines.reduce((s, l) => s + l.sum, 0);
  return JSON.stringify({
    id: `prefill/1/${n + 1}`,
    number: n + 1,
    shift: 1,
    terminal: { id: 'prefill', name: 'Касса (заполнение)' },
    cashier: { login: 'kassir', name: 'Иванов И.И.' },
    at: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(),
    day: '2025-01-01',
    timeText: '01.01.2025 10:00',
    lines,
    itemCount: 6,
    total,
    discountPercent: 10,
    discount: Math.floor(total / 10),
    finalTotal: total - Math.floor(total / 10),
    coupon: '',
    bonus: false,
    payment: { method: 'card', tendered: total - Math.floor(total / 10), change: 0 },
  });
}

/** Writes `records` sales to `file`; returns its size in bytes. */
export async function prefillSalesJournal(file: string, records: number): Promise<number> {
  if (records === 0) return 0;
  const out = createWriteStream(file);
  let bytes = 0;
  for (let n = 0; n < records; n += 1000) {
    const chunk = Array.from({ length: Math.min(1000, records - n) }, (_, k) => `${saleRecord(n + k)}\n`).join('');
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
