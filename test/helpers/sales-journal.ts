// A kassa sales journal made up for tests and benchmarks: records shaped like apps/kassa's completeSale
// writes them, spread evenly over days, four terminals, two cashiers, cash and card, written straight into
// a data folder's sales.jsonl before the host starts.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, startHost, type TestHost } from './host.js';

export const CASHIERS = [
  { login: 'kassir', name: 'Иванов И.И.' },
  { login: 'petrova', name: 'Петрова А.А.' },
] as const;
export const TERMINALS = ['Касса 1', 'Касса 2', 'Касса 3', 'Касса 4'] as const;

export interface SalesLayout {
  /** the first day, YYYY-MM-DD */
  firstDay: string;
  /** sales per day (the last day may have fewer) */
  perDay: number;
}

/** The day of sale n (0-based) */
export function dayOf(n: number, layout: SalesLayout): string {
  const date = new Date(`${layout.firstDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + Math.floor(n / layout.perDay));
  return date.toISOString().slice(0, 10);
}

/** Sale n (0-based): terminal n % 4, cashier n % 2, card every third, a total of 10.00 ₽ + n % 1000 rubles. */
export function syntheticSale(n: number, layout: SalesLayout): Record<string, unknown> {
  const day = dayOf(n, layout);
  const inDay = n % layout.perDay;
  const terminal = n % TERMINALS.length;
  const cashier = CASHIERS[n % CASHIERS.length];
  const number = Math.floor(inDay / TERMINALS.length) + 1;
  const price = 1000 + (n % 1000) * 100;
  const method = n % 3 === 0 ? 'card' : 'cash';
  const minutes = Math.floor((inDay / layout.perDay) * 12 * 60);
  const time = `${String(9 + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return {
    id: `t${terminal + 1}/${day}/${number}`,
    number,
    shift: 1,
    terminal: { id: `t${terminal + 1}`, name: TERMINALS[terminal] },
    cashier: { login: cashier.login, name: cashier.name },
    at: `${day}T${time}:00.000Z`,
    day,
    timeText: `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}, ${time}`,
    lines: [{ id: 1 + (n % 30), barcode: String(4607000010000 + (n % 30)), name: `Товар ${1 + (n % 30)}`, price, quantity: 1, sum: price }],
    itemCount: 1,
    total: price,
    discountPercent: 0,
    discount: 0,
    finalTotal: price,
    coupon: null,
    bonus: false,
    payment: method === 'cash' ? { method, tendered: price, change: 0 } : { method, tendered: null, change: 0 },
    vat: { percent: 20, amount: Math.round((price * 20) / 120) },
  };
}

/** Writes `count` sales into `<dataDir>/sales.jsonl` (the folder is created, private, as the store keeps it). */
export async function writeSalesJournal(dataDir: string, count: number, layout: SalesLayout): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lines: string[] = [];
  for (let n = 0; n < count; n++) lines.push(`${JSON.stringify(syntheticSale(n, layout))}\n`);
  await writeFile(path.join(dataDir, 'sales.jsonl'), lines.join(''), { mode: 0o600 });
}

/** apps/kassa on a data folder holding `count` made-up sales; stop() also removes the folder. */
export async function startKassaWithSales(count: number, layout: SalesLayout): Promise<TestHost> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kassa-sales-'));
  await writeSalesJournal(dataDir, count, layout);
  const host = await startHost(path.join(projectRoot, 'apps', 'kassa'), { dataDir });
  const stop = host.stop.bind(host);
  return Object.assign(host, {
    async stop() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}
