// One device of the shop on its own (issue 18, item 3, `shop` in network namespaces): a till (its main
// window and its customer display) or the manager's dashboard, in a process the benchmark starts inside
// the device's network namespace, so it reaches the host from its own address. Driven over IPC:
//   setup — pair with the host's code (LAN mode), log in (a till also opens its shift); answers its session
//   run   — the device's part of the shop run (runShop with its till, or with the dashboard alone)
// The manager's run waits for { type: 'sales-total' } from the driver (every till done) to know how many
// dashboard events it is owed.
import { serveJobs } from './ipc-worker.js';
import { BenchClient } from './session.js';
import { runShop, type ShopSpec } from './shop-core.js';
import { loginManager, loginTill, openShift, pairDevice, type LoginPlan } from './till-login.js';

export type DeviceJob =
  | { kind: 'setup'; url: string; role: 'till' | 'manager'; pairCode?: string; name: string; plan: LoginPlan }
  | { kind: 'run'; spec: ShopSpec };

let salesTotal: ((sales: number) => void) | undefined;

async function handle(job: DeviceJob): Promise<unknown> {
  if (job.kind === 'setup') {
    const client = new BenchClient(job.url);
    if (job.pairCode !== undefined) await pairDevice(client, job.pairCode, job.name);
    if (job.role === 'manager') await loginManager(client);
    else {
      await loginTill(client, job.plan);
      await openShift(client, job.plan);
    }
    return client.info();
  }
  const owed = job.spec.manager && job.spec.tills.length === 0 ? new Promise<number>((resolve) => (salesTotal = resolve)) : undefined;
  return runShop(job.spec, owed ? { dashboardOwed: () => owed } : {});
}

serveJobs<DeviceJob>(handle, (message) => {
  if (message?.type === 'sales-total') salesTotal?.(typeof message.sales === 'number' ? message.sales : 0);
});
