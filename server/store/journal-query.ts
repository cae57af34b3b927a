// Reading a journal beyond the records readers keep in memory (`view.last`): the records that match a
// filter, one page at a time, newest first. One set of rules for both stores: the file store answers from
// an in-memory index of the connector's `index` fields (journal-index.ts), PostgreSQL with SQL over the
// journal rows (postgres-store.ts); both pass test/unit/store/journal-query-contract.test.ts.
//
// A filter names fields (dotted paths: "cashier.login") with
//   - a value: the field equals it, compared as text (17 and "17" are the same record number);
//   - a list of values: the field equals one of them;
//   - { from, to }: inclusive bounds, either optional. A field holding a number compares numbers (a bound
//     that is no number matches nothing); any other field compares text (days "2026-12-01" sort as text).
// A condition whose value is undefined, null or "" is left out, so a form's empty fields filter nothing.
// A field holding a list (several payment methods) matches when one of its values does.

export const JOURNAL_PAGE_SIZE_LIMIT = 500;
export const DEFAULT_JOURNAL_PAGE_SIZE = 20;

export type JournalCondition =
  | { kind: 'equals'; field: string; texts: string[] }
  | { kind: 'range'; field: string; from?: string | number; to?: string | number };

export interface JournalQuery {
  where?: Record<string, unknown>;
  /** 1-based; a page past the end shows the last one */
  page?: unknown;
  size?: unknown;
  /** newest first (default) or oldest first */
  order?: 'newest' | 'oldest';
}

/** What a query answers: the shape of the `page()` expression helper. */
export interface JournalPage {
  items: unknown[];
  page: number;
  pages: number;
  total: number;
  size: number;
}

export class JournalQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalQueryError';
  }
}

/** A present filter value: not undefined, null or "". */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function scalarText(value: unknown, field: string): string {
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new JournalQueryError(`where.${field}: compare with text, a number or true/false (got ${JSON.stringify(value) ?? typeof value})`);
}

function bound(value: unknown, field: string, which: 'from' | 'to'): string | number | undefined {
  if (!present(value)) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return value;
  throw new JournalQueryError(`where.${field}.${which}: a bound is text or a number (got ${JSON.stringify(value) ?? typeof value})`);
}

/** The conditions of a where object, checked against the fields that may be filtered by (`indexed`). */
export function conditionsOf(where: unknown, indexed: readonly string[], journal: string): JournalCondition[] {
  if (where === undefined || where === null) return [];
  if (typeof where !== 'object' || Array.isArray(where)) throw new JournalQueryError('where must be an object { field: value, … }');
  const conditions: JournalCondition[] = [];
  for (const [field, value] of Object.entries(where as Record<string, unknown>)) {
    if (!indexed.includes(field)) {
      throw new JournalQueryError(
        `journal "${journal}" is not indexed by "${field}" (index: ${indexed.join(', ') || 'none'}); add "${field}" to connectors.${journal}.index`,
      );
    }
    if (!present(value)) continue;
    if (Array.isArray(value)) {
      const texts = value.filter(present).map((one) => scalarText(one, field));
      if (texts.length > 0) conditions.push({ kind: 'equals', field, texts });
    } else if (typeof value === 'object') {
      const { from, to, ...rest } = value as { from?: unknown; to?: unknown };
      if (Object.keys(rest).length > 0) throw new JournalQueryError(`where.${field}: a range is { from, to } (unknown: ${Object.keys(rest).join(', ')})`);
      const range = { kind: 'range' as const, field, from: bound(from, field, 'from'), to: bound(to, field, 'to') };
      if (range.from !== undefined || range.to !== undefined) conditions.push(range);
    } else {
      conditions.push({ kind: 'equals', field, texts: [scalarText(value, field)] });
    }
  }
  return conditions;
}

/** The value at a dotted path of a record. */
export function fieldValue(record: unknown, field: string): unknown {
  let value = record;
  for (const part of field.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** One stored value against a range: numbers as numbers, anything else as text. */
export function inRange(value: unknown, from: string | number | undefined, to: string | number | undefined): boolean {
  if (typeof value === 'number') {
    if (from !== undefined && !(value >= Number(from))) return false;
    if (to !== undefined && !(value <= Number(to))) return false;
    return true;
  }
  if (typeof value !== 'string' && typeof value !== 'boolean') return false;
  const text = String(value);
  if (from !== undefined && text < String(from)) return false;
  if (to !== undefined && text > String(to)) return false;
  return true;
}

/** The texts a stored value is found by (a list: each of its values); objects are not comparable. */
export function valueTexts(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  const texts: string[] = [];
  for (const one of values) {
    if (typeof one === 'string' || typeof one === 'boolean' || (typeof one === 'number' && Number.isFinite(one))) texts.push(String(one));
  }
  return texts;
}

/** Whether a stored field value meets a condition. */
export function meets(value: unknown, condition: JournalCondition): boolean {
  const values = Array.isArray(value) ? value : [value];
  if (condition.kind === 'equals') return valueTexts(value).some((text) => condition.texts.includes(text));
  return values.some((one) => inRange(one, condition.from, condition.to));
}

/** The page size asked for, within 1..500 (default 20). */
export function pageSizeOf(size: unknown): number {
  return Math.min(JOURNAL_PAGE_SIZE_LIMIT, Math.max(1, Math.floor(Number(size ?? DEFAULT_JOURNAL_PAGE_SIZE)) || DEFAULT_JOURNAL_PAGE_SIZE));
}

/** Which page is shown for `total` matches: the asked one within 1..pages. */
export function pageWindow(total: number, page: unknown, size: number): { page: number; pages: number; skip: number } {
  const pages = Math.max(1, Math.ceil(total / size));
  const asked = Math.floor(Number(page ?? 1));
  const current = Number.isFinite(asked) ? Math.min(pages, Math.max(1, asked)) : 1;
  return { page: current, pages, skip: (current - 1) * size };
}

export function orderOf(order: unknown): 'newest' | 'oldest' {
  if (order === undefined || order === null || order === '' || order === 'newest') return 'newest';
  if (order === 'oldest') return 'oldest';
  throw new JournalQueryError(`order is "newest" or "oldest" (got ${JSON.stringify(order)})`);
}

/** The fields a journal connector is indexed by (its `index`), checked. */
export function indexFieldsOf(config: { index?: unknown }): string[] {
  const index = config.index;
  return Array.isArray(index) ? index.filter((field): field is string => typeof field === 'string' && field !== '') : [];
}
