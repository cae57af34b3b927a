// Whether the store can write: a full disk or a data folder that became read-only is a known condition,
// not a crash. It is logged once when it starts and once when it ends (never per refused request), told to
// whoever listens (the host's banner, the desktop window), and ends by itself when writing works again.
import type { Logger } from './types.js';
import { DISK_FULL_CODES, READ_ONLY_CODES } from './file-system.js';
import { describeError, rootErrorCode } from './fs-durable.js';

export type StoreProblem = 'disk-full' | 'read-only' | 'write-failed' | 'database-unavailable';

export type StoreStatus =
  | { ok: true }
  | {
      ok: false;
      problem: StoreProblem;
      /** for people at the till: what happened and what to do */
      message: string;
      /** for the log: the underlying error */
      detail: string;
      since: number;
    };

/** What a refused change answers, by problem: a full disk is 507 Insufficient Storage, the rest 503. */
export const PROBLEMS: Record<StoreProblem, { status: 507 | 503; refused: string; banner: string }> = {
  'disk-full': {
    status: 507,
    refused: 'Диск заполнен: изменение не сохранено. Освободите место на диске компьютера кассы — работа продолжится сама, без перезапуска.',
    banner: 'Диск заполнен: продажи и изменения не сохраняются. Освободите место на диске компьютера кассы.',
  },
  'read-only': {
    status: 503,
    refused: 'Папка данных недоступна для записи: изменение не сохранено. Проверьте права на папку данных и диск компьютера кассы.',
    banner: 'Папка данных недоступна для записи: продажи и изменения не сохраняются. Проверьте права на папку и диск.',
  },
  'write-failed': {
    status: 503,
    refused: 'Ошибка записи на диск: изменение не сохранено. Проверьте диск компьютера кассы.',
    banner: 'Ошибка записи на диск: продажи и изменения не сохраняются. Проверьте диск компьютера кассы.',
  },
  // the PostgreSQL store (server/store/postgres): the database cannot be reached
  'database-unavailable': {
    status: 503,
    refused: 'Нет связи с базой данных: изменение не сохранено. Повторите через несколько секунд — работа продолжится сама, когда связь восстановится.',
    banner: 'Нет связи с базой данных: изменения не сохраняются. Работа продолжится сама, когда связь восстановится.',
  },
};

/** An error that says itself which problem it is (the PostgreSQL store's connection failures). */
function declaredProblem(error: unknown): StoreProblem | undefined {
  const problem = (error as { storeProblem?: unknown } | null)?.storeProblem;
  return typeof problem === 'string' && Object.hasOwn(PROBLEMS, problem) ? (problem as StoreProblem) : undefined;
}

export function problemOf(error: unknown): StoreProblem {
  const declared = declaredProblem(error);
  if (declared) return declared;
  const code = rootErrorCode(error);
  if (code && DISK_FULL_CODES.has(code)) return 'disk-full';
  if (code && READ_ONLY_CODES.has(code)) return 'read-only';
  return 'write-failed';
}

/** Which part of the store is failing: commits (the log), bringing the files up to date (checkpoints), or the database. */
export type StorePart = 'log' | 'files' | 'database';

export class StoreHealth {
  private readonly failing = new Map<StorePart, { problem: StoreProblem; detail: string; since: number }>();
  private readonly listeners = new Set<(status: StoreStatus) => void>();
  private current: StoreStatus = { ok: true };

  constructor(
    private readonly log: Logger,
    private readonly dataDir: string,
    private readonly now: () => number = Date.now,
  ) {}

  get status(): StoreStatus {
    return this.current;
  }

  get ok(): boolean {
    return this.current.ok;
  }

  onChange(listener: (status: StoreStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  failed(part: StorePart, error: unknown): void {
    const problem = problemOf(error);
    const known = this.failing.get(part);
    if (known?.problem === problem) return;
    this.failing.set(part, { problem, detail: describeError(error), since: known?.since ?? this.now() });
    this.update();
  }

  succeeded(part: StorePart): void {
    if (this.failing.delete(part)) this.update();
  }

  private update(): void {
    const [worst] = [...this.failing.values()].sort((a, b) => a.since - b.since);
    const next: StoreStatus = worst
      ? { ok: false, problem: worst.problem, message: PROBLEMS[worst.problem].banner, detail: worst.detail, since: worst.since }
      : { ok: true };
    const before = this.current;
    if (before.ok === next.ok && (before.ok || (!next.ok && before.problem === next.problem))) {
      this.current = next;
      return;
    }
    this.current = next;
    if (next.ok) this.log.info(`store: writing to ${this.dataDir} works again; changes are saved as usual`);
    else {
      this.log.error(
        `store: cannot write to ${this.dataDir} (${next.detail}). Changes are refused (nothing refused is kept) ` +
          'until writing works again; the host checks every few seconds and recovers by itself.',
      );
    }
    for (const listener of this.listeners) {
      try {
        listener(next);
      } catch (error) {
        this.log.warn(`store: a status listener failed: ${describeError(error)}`);
      }
    }
  }
}
