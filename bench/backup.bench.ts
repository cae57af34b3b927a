// Backing up a till with a 100,000-sale journal while it sells: how long a backup takes (target ≤ 10 s)
// and how the till answers meanwhile (p50 / p99 of its sale cycle with and without backups running).
// The engine runs in its own process with the journal written before it starts; the backups are asked
// for the way `serverokey backup` does (the host's admin endpoint: a consistent snapshot, then the copy
// with checksums), back to back for the whole measured window, so every request of that window is
// answered while a backup runs. Each backup is verified afterwards.
//   npm run bench -- backup [--seconds 8] [--app apps/kassa]
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { appLabel, parseFlags } from './lib/flags.js';
import { LoadGenerator } from './lib/load.js';
import { loadProfile, serverOptions } from './lib/profile.js';
import { checkList, mdTable, Report } from './lib/results.js';
import { startServer } from './lib/servers.js';
import { actionHeaders } from './lib/session.js';
import { count, ms, ratio, summarize } from './lib/stats.js';
import { prefillSalesJournal } from './lib/sales-journal.js';
import { backupCommand } from '../server/data-commands.js';
import { verifyBackup } from '../server/backup/backup-folder.js';

const flags = parseFlags();
const SALES = 100_000;
const TARGET_SECONDS = 10;
const seconds = flags.seconds ?? 8;
const profile = await loadProfile(flags.app);
const report = new Report(`backup — ${appLabel(flags.app)}`, flags.record);

if (!profile.journal || !profile.sale) {
  report.note(`${appLabel(flags.app)} has no journal connector or no completeSale route: nothing to measure (run with --app apps/kassa).`);
  await report.save();
  process.exit(0);
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-backup-'));
const backups = await mkdtemp(path.join(os.tmpdir(), 'bench-backup-to-'));
const journalBytes = await prefillSalesJournal(path.join(dataDir, `${profile.journal.connector}.jsonl`), SALES);
const server = await startServer({ kind: 'engine', ...serverOptions(profile), from: flags.from, dataDir, keepData: true });
const load = await LoadGenerator.start();
const durations: number[] = [];
const backupBytes: number[] = [];
let quiet;
let during;
let verified = 0;
let verifyError: string | undefined;
try {
  const client = await profile.login(server.url);
  await profile.openShift(client);
  const cycle = [
    { path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(profile.productIds[0])) },
    { path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(profile.productIds[1])) },
    { path: profile.sale.path, body: JSON.stringify(profile.sale.body) },
  ];
  const spec = { url: server.url, requests: cycle, headers: actionHeaders(client.info()), concurrency: 1, seconds };
  // one unmeasured backup and load run (code paths, file cache)
  await backupCommand(dataDir, backups);
  await load.run({ ...spec, seconds: 1 });

  quiet = await load.run(spec);
  let loading = true;
  const running = load.run(spec).finally(() => (loading = false));
  while (loading) {
    const started = performance.now();
    const result = await backupCommand(dataDir, backups);
    durations.push((performance.now() - started) / 1000);
    backupBytes.push(result.bytes);
  }
  during = await running;
  for (const name of (await readdir(backups)).filter((n) => n.startsWith('serverokey-backup-'))) {
    try {
      await verifyBackup(path.join(backups, name));
      verified++;
    } catch (error) {
      verifyError ??= (error as Error).message;
    }
  }
} finally {
  load.close();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(backups, { recursive: true, force: true });
}

const q = summarize(quiet.latencies);
const d = summarize(during.latencies);
const saleQ = summarize(quiet.byRequest[2]);
const saleD = summarize(during.byRequest[2]);
const longest = Math.max(...durations);
report.add(
  '### Backup of a till with a 100,000-sale journal, while it sells (c = 1)\n\n' +
    mdTable(
      ['', 'requests/s', 'all actions p50 / p99 ms', 'completeSale p50 / p99 ms', 'longest gap ms', 'failed'],
      [
        ['no backup', count(quiet.ok / quiet.elapsedSeconds), `${ms(q.p50, 2)} / ${ms(q.p99, 2)}`, `${ms(saleQ.p50, 2)} / ${ms(saleQ.p99, 2)}`, ms(quiet.maxGapMs, 0), count(quiet.failed)],
        ['backups running', count(during.ok / during.elapsedSeconds), `${ms(d.p50, 2)} / ${ms(d.p99, 2)}`, `${ms(saleD.p50, 2)} / ${ms(saleD.p99, 2)}`, ms(during.maxGapMs, 0), count(during.failed)],
      ],
    ) +
    '\n\n' +
    mdTable(
      ['journal', 'backups made while selling', 'backup size', 'backup time median / longest s', 'p99 during / without backups'],
      [[`${count(SALES)} sales, ${(journalBytes / 1048576).toFixed(1)} MB`, count(durations.length), `${(Math.max(...backupBytes) / 1048576).toFixed(1)} MB`, `${summarize(durations).p50.toFixed(2)} / ${longest.toFixed(2)}`, ratio(d.p99, q.p99)]],
    ),
);
report.add(
  `Targets:\n\n${checkList([
    { label: `a backup of a ${count(SALES)}-sale journal takes ≤ ${TARGET_SECONDS} s while the till sells`, pass: longest <= TARGET_SECONDS, detail: `longest ${longest.toFixed(2)} s of ${durations.length}` },
    { label: 'the till keeps answering during backups (no failed request)', pass: during.failed === 0 && during.ok > 0, detail: `${count(during.ok)} answered, ${count(during.failed)} failed (statuses ${JSON.stringify(during.statuses)}${during.firstError ? `, first: ${during.firstError.slice(0, 200)}` : ""}), longest gap ${ms(during.maxGapMs, 0)} ms` },
    { label: 'every backup verifies (sizes and SHA-256)', pass: verified === durations.length + 1, detail: verifyError ?? `${verified} of ${durations.length + 1}` },
  ])}`,
);
report.note(
  `${seconds} s of a sale cycle (two addItem, completeSale by card) at c = 1 (one till: its sales must follow its adds) from another process, first without backups, then with backups back to back ` +
    `(asked through the host's admin endpoint as \`serverokey backup\` does: commits held while the files are hard-linked, then copied and hashed in 1 MiB chunks). ` +
    `The journal grows during the run. Engine from ${flags.from}/; backup target on the same disk (tmp).`,
);
await report.save();
