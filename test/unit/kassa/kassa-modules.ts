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
