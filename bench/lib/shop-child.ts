// The 20-till shop's client process (tills, customer displays, dashboard), driven over IPC.
import { serveJobs } from './ipc-worker.js';
import { runShop, type ShopSpec } from './shop-core.js';

serveJobs<ShopSpec>((spec) => runShop(spec));
