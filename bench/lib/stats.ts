// Latency summaries. Percentiles are nearest-rank on the sorted sample (p99 of 100 values is the 99th).

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : NaN,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

export function median(values: number[]): number {
  return percentile(Float64Array.from(values).sort(), 0.5);
}

/** "12.3" for ms figures; "–" when there is no figure. */
export function ms(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** Thousands separated with a comma, as in the table. */
export function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '–';
}

export function ratio(value: number, reference: number, digits = 2): string {
  return Number.isFinite(value) && Number.isFinite(reference) && reference !== 0 ? `${(value / reference).toFixed(digits)}×` : '–';
}

export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(0) : '–';
}
