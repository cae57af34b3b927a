// What the benchmarks need to know about the application under test: its routes for adding an item and
// refreshing the receipt, the receipt channel, how a till logs in (and opens a shift), and how to read a
// line's quantity back from the receipt fragment. Read from the app's manifest where it says so.
import path from 'node:path';
import { loadManifest } from '../../server/manifest/load.js';
import type { Manifest } from '../../server/manifest/types.js';
import { BenchClient } from './session.js';
import { loginTill, openShift, type LoginPlan } from './till-login.js';

export interface AppProfile {
  appDir: string;
  manifest: Manifest;
  /** scope of the receipt connector: terminal (one receipt per till) or global (the original) */
  receiptScope: 'global' | 'terminal';
  addItem: { path: string; body: (id: string | number) => Record<string, unknown> };
  refresh: { path: string; body: Record<string, unknown> };
  clear?: { path: string };
  channel: string;
  event: string;
  /** product ids in the catalogue, in its order */
  productIds: Array<string | number>;
  /** the catalogue as the app seeds it (given to the baseline) */
  products: Array<{ id: number | string; name: string; price: string | number; barcode?: string }>;
  /** how a till logs in and opens its shift (for client processes that log in themselves) */
  loginPlan: LoginPlan;
  /** a logged-in till (registering the cashier first when the app has no seeded user) */
  login(url: string): Promise<BenchClient>;
  /** opens a shift when the app needs one for sales; a no-op otherwise */
  openShift(client: BenchClient): Promise<void>;
  /** the receipt's item count (sum of quantities) as its fragment shows it */
  itemCount(html: string): number;
  /** the most pieces one receipt line may hold (the app refuses more) */
  lineCap: number;
  /** which receipt markup the baseline reproduces */
  markup: 'original' | 'kassa';
  /** completing a sale (paid by card), when the app has sales */
  sale?: { path: string; body: Record<string, unknown> };
  /** the sales journal, when the app has one */
  journal?: { connector: string; scope: 'global' | 'terminal' | 'user' };
}

const ADD = 'POST /action/addItem';
const REFRESH = 'POST /action/soft-refresh-receipt';

function routePath(key: string): string {
  return key.split(' ')[1];
}

function fail(appDir: string, what: string): never {
  throw new Error(`${appDir}: the benchmarks need ${what}; this app does not have it (see bench/README.md, "Application")`);
}

export async function loadProfile(appDir: string): Promise<AppProfile> {
  const { manifest } = await loadManifest(appDir);
  const routes = manifest.routes as Record<string, { type: string }>;
  if (!routes[ADD]) fail(appDir, `a route "${ADD}"`);
  if (!routes[REFRESH]) fail(appDir, `a route "${REFRESH}"`);
  const channelEntry = Object.entries(manifest.sockets ?? {}).find(([, c]) => c.watch === 'receipt');
  if (!channelEntry) fail(appDir, 'a socket channel watching the "receipt" connector');
  const [channel, channelConfig] = channelEntry;
  const receipt = manifest.connectors.receipt;
  if (!receipt) fail(appDir, 'a connector named "receipt"');
  const scope = (receipt.scope ?? 'global') === 'terminal' ? 'terminal' : 'global';
  const hasRegister = Boolean(routes['POST /auth/register']);
  const shiftKey = Object.keys(routes).find((k) => k.startsWith('POST ') && /open.?shift|shift.?open|shift\/open/i.test(k));

  const positions = (manifest.connectors.positions?.initialState as { items?: AppProfile['products'] } | undefined)?.items ?? [];
  if (positions.length === 0) fail(appDir, 'a catalogue in connectors.positions.initialState.items');
  const productIds = positions.map((p) => p.id);

  const journalEntry = Object.entries(manifest.connectors).find(([, c]) => c.type === 'journal');
  const loginPlan: LoginPlan = { app: path.basename(appDir), register: hasRegister, shiftPath: shiftKey ? routePath(shiftKey) : undefined };

  return {
    appDir,
    manifest,
    receiptScope: scope,
    addItem: { path: routePath(ADD), body: (id) => ({ id: String(id) }) },
    refresh: { path: routePath(REFRESH), body: {} },
    clear: routes['POST /action/clearReceipt'] ? { path: '/action/clearReceipt' } : undefined,
    channel,
    event: channelConfig.emit.event,
    productIds,
    products: positions,
    loginPlan,
    async login(url) {
      const client = new BenchClient(url);
      await loginTill(client, loginPlan);
      return client;
    },
    async openShift(client) {
      await openShift(client, loginPlan);
    },
    itemCount(html) {
      const match = /class="count">\s*(\d+)\s*</.exec(html);
      if (!match) throw new Error(`${path.basename(appDir)}: the receipt fragment shows no item count (class="count"); the lost-update check needs it`);
      return Number(match[1]);
    },
    // apps/kassa refuses a 1000th piece on a line (settings.maxQuantity); the original had no limit
    lineCap: routes['POST /action/setQuantity'] ? 999 : Infinity,
    markup: routes['POST /action/setQuantity'] ? 'kassa' : 'original',
    sale: routes['POST /action/completeSale'] ? { path: '/action/completeSale', body: { method: 'card' } } : undefined,
    journal: journalEntry ? { connector: journalEntry[0], scope: (journalEntry[1].scope ?? 'global') as 'global' | 'terminal' | 'user' } : undefined,
  };
}

/** What startServer needs to start either server for this app. */
export function serverOptions(profile: AppProfile): { appDir: string; scope: 'global' | 'terminal'; markup: 'original' | 'kassa'; products: AppProfile['products'] } {
  return { appDir: profile.appDir, scope: profile.receiptScope, markup: profile.markup, products: profile.products };
}
