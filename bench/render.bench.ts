// Rendering a 100-line receipt: the app's receipt component through the engine's renderer (templates,
// atom-if, money formatting, component id, scoped CSS), against the baseline's template string for the
// same data. In process; HTTP round trips at c = 1 / 8 / 32 are the actions benchmark's.
//   npm run bench -- render [--app DIR]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '../server/engine.js';
import { kassaReceipt } from './baseline/receipt-kassa.js';
import type { ReceiptKind } from './baseline/receipt-kind.js';
import { originalReceipt } from './baseline/receipt-original.js';
import { appLabel, parseFlags } from './lib/flags.js';
import { loadProfile } from './lib/profile.js';
import { mdTable, Report } from './lib/results.js';
import { count, ms, ratio, summarize } from './lib/stats.js';

const flags = parseFlags();
const seconds = flags.seconds ?? 2;
const LINES = 100;
const profile = await loadProfile(flags.app);
const report = new Report(`render — ${appLabel(flags.app)}`, flags.record);
const kind = (profile.markup === 'kassa' ? kassaReceipt : originalReceipt) as unknown as ReceiptKind<Record<string, unknown>>;

// the receipt's state as the app keeps it, built by the baseline's model of the app (same shape)
const receipt = kind.empty();
for (let i = 0; i < LINES; i++) {
  const base = profile.products[i % profile.products.length];
  const price = typeof base.price === 'number' ? base.price + i : base.price;
  kind.add(receipt, { ...base, id: typeof base.id === 'number' ? 10_000 + i : `${base.id}-${i}`, name: `${base.name} (${i + 1})`, price });
}
kind.recalculate(receipt);

function time(render: () => string, forSeconds: number): { micros: number[]; bytes: number } {
  const micros: number[] = [];
  const deadline = performance.now() + forSeconds * 1000;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    render();
    micros.push((performance.now() - t0) * 1000);
  }
  return { micros, bytes: Buffer.byteLength(render()) };
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-render-'));
const engine = await createEngine({ appDir: profile.appDir, dataDir, debug: false, log: { info() {}, warn() {}, error: (m) => console.error(m) } });
try {
  const input = {
    data: { receipt: structuredClone(receipt) },
    user: { login: 'kassir', name: 'Иванов И.И.', role: 'Кассир' },
    url: { pathname: '/', query: {} },
    extra: { terminal: { id: 'bench-till', name: 'Bench till' }, csrfToken: 'x'.repeat(43) },
  };
  const engineRender = () => {
    const out = engine.renderer.renderComponent('receipt', input);
    return out.html + out.styles.map((s) => s.css).join('\n');
  };
  const lines = (html: string) => (html.match(/<li class="line/g) ?? []).length;
  if (lines(engineRender()) !== LINES) throw new Error(`the engine rendered ${lines(engineRender())} receipt lines, expected ${LINES}: the data shape does not match the app's receipt`);
  const baselineRender = () => kind.render(receipt);
  time(engineRender, 0.3);
  time(baselineRender, 0.3);
  const e = time(engineRender, seconds);
  const b = time(baselineRender, seconds / 2);
  const es = summarize(e.micros);
  const bs = summarize(b.micros);
  report.add(
    `### Rendering the receipt component with ${LINES} lines\n\n` +
      mdTable(
        ['renderer', 'renders/s', 'p50 / p99 µs', 'output bytes'],
        [
          ['engine (`renderer.renderComponent`, html + scoped css)', count(1e6 / es.mean), `${ms(es.p50, 0)} / ${ms(es.p99, 0)}`, count(e.bytes)],
          ['baseline (template string, html only)', count(1e6 / bs.mean), `${ms(bs.p50, 0)} / ${ms(bs.p99, 0)}`, count(b.bytes)],
          ['engine / baseline', '', ratio(es.p50, bs.p50), ''],
        ],
      ),
  );
  report.note(`${seconds} s of back-to-back renders after 0.3 s unmeasured; in process, sources through tsx. Receipt data built with the app's shape (${profile.markup} markup).`);
} finally {
  await engine.close();
  await rm(dataDir, { recursive: true, force: true });
}
await report.save();
