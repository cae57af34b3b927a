// Typed access to the till's CommonJS modules (apps/kassa is plain JavaScript, like any app).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const kassaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../apps/kassa');
const load = createRequire(path.join(kassaDir, 'manifest.js'));

export interface Money {
  KOPECKS_PER_RUBLE: number;
  MAX_KOPECKS: number;
  isKopecks(value: unknown): boolean;
  parse(text: unknown): number | null;
  format(kopecks: number): string;
  sum(amounts: number[]): number;
  lineSum(price: number, quantity: number): number;
  percentOf(amount: number, percent: number): number;
  applyDiscount(total: number, percent: number): { discount: number; due: number };
  includedVat(amount: number, percent: number): number;
}

export interface ReceiptLine {
  id: number;
  name: string;
  price: number;
  quantity: number;
  sum?: number;
  current?: boolean;
}

export interface Receipt {
  items: ReceiptLine[];
  itemCount: number;
  total: number;
  discountPercent: number;
  discount: number;
  finalTotal: number;
  currentId: number | null;
  [key: string]: unknown;
}

export const money = load('./app/lib/money.js') as Money;
export const recalculate = load('./app/actions/recalculate.js') as (context: { data: { receipt: Receipt } }) => void;
export const seed = load('./manifest/seed.js') as {
  products: Array<{ id: number; barcode: string; name: string; price: number }>;
  users: Array<{ login: string; name: string; role: string; passwordHash: string }>;
};
export const connectorsModule = load('./manifest/connectors.js') as { emptyReceipt: Receipt };

export interface StockRow {
  id: number;
  onHand: number;
}
export const stock = load('./app/lib/stock.js') as {
  round(quantity: number): number;
  isShort(onHand: number, quantity: number): boolean;
  isLow(onHand: number, threshold?: number): boolean;
  applyChanges(items: StockRow[], found: Array<StockRow | undefined | null>, changes: Array<{ id: number; delta: number }>): Map<number, number>;
  readQuantity(text: unknown): number | null;
  readGoodsReceipt(body: unknown): { supplier: string; document: string; lines: Array<{ row: number; code: string; quantity: number }> };
  matchProducts(lines: Array<{ row: number; code: string; quantity: number }>, products: Array<{ id: number; name: string; unit?: string } | undefined>): Array<{ id: number; name: string; quantity: number }>;
};

export interface SaleForReturn {
  id: string;
  lines: Array<{ id: number; name: string; price: number; quantity: number; sum: number; unit?: string; grams?: number }>;
  finalTotal: number;
  payment: { method: string };
}
export interface ReturnRecord {
  saleId: string;
  lines: Array<{ id: number; quantity: number }>;
}
export interface ReturnableLine {
  id: number;
  name: string;
  price: number;
  sold: number;
  returned: number;
  returnable: number;
  paid: number;
}
export const returns = load('./app/lib/returns.js') as {
  paidShares(sale: SaleForReturn): number[];
  returnedQuantities(records: ReturnRecord[], saleId: string): Map<number, number>;
  unitOf(line: SaleForReturn['lines'][number], units?: Map<number, string>): string;
  returnableLines(sale: SaleForReturn, records: ReturnRecord[], units?: Map<number, string>): ReturnableLine[];
  refundFor(line: ReturnableLine, quantity: number): number;
  readReturn(body: unknown, sale: SaleForReturn, records: ReturnRecord[], units?: Map<number, string>): { lines: Array<{ id: number; quantity: number; sum: number }>; amount: number; method: string };
};
export const managerPin = load('./app/lib/manager-pin.js') as {
  confirmingManager(input: {
    user: { login: string; name: string; role: string } | null;
    people: Array<{ login: string; name: string; role: string; active?: boolean; pinHash?: string }>;
    pin: string;
    terminalId: string;
    managerRole: string;
    now?: number;
  }): { login: string; name: string; by: string };
  hashPin(pin: string): string;
  MAX_FAILURES: number;
  MAX_FAILURES_ALL: number;
  WINDOW_MS: number;
};
