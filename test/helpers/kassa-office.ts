// apps/kassa's back office over real HTTP: a host, a logged-in manager (admin) and cashier (kassir), and what
// the catalogue's actions store (the catalogue and its price history), to check what a refusal left alone.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { projectRoot, startHost, type TestHost } from './host.js';
import { TestTerminal } from './http-client.js';

export interface KassaOffice {
  host: TestHost;
  manager: TestTerminal;
  cashier: TestTerminal;
  /** the catalogue's stored text and the price history journal ('' for what is not written yet) */
  stored(): Promise<string>;
  /** the stored catalogue's products */
  catalogue(): Promise<Array<Record<string, any>>>;
}

export async function startKassaOffice(): Promise<KassaOffice> {
  const host = await startHost(path.join(projectRoot, 'apps', 'kassa'));
  const manager = new TestTerminal(host.url);
  await manager.login('admin', 'admin');
  const cashier = new TestTerminal(host.url);
  await cashier.login('kassir', '123');
  return {
    host,
    manager,
    cashier,
    async stored() {
      await host.flushed();
      const history = await readFile(path.join(host.dataDir, 'priceHistory.jsonl'), 'utf8').catch(() => '');
      // (no positions file yet: the catalogue is still the demo one it starts with)
      return (await host.storedText('positions').catch(() => '')) + history;
    },
    async catalogue() {
      return JSON.parse(await host.storedText('positions')).items;
    },
  };
}
