// A StoreFileSystem that fails on purpose: the way a full disk (ENOSPC), a folder made read-only
// (EACCES), a dying disk (EIO) or a write cut short by any of them looks to the store. Every operation is
// counted and recorded with the file it touches, so a test can fail "the 7th operation" or "the first
// flush of a log file" and replay a scenario failing at each step in turn.
import { nodeFileSystem, type StoreFileSystem } from '../../server/store/file-system.js';

export type FileOperation = keyof StoreFileSystem;

export interface FileCall {
  index: number;
  op: FileOperation;
  path: string;
}

/** What to do with one call: undefined lets it through. `torn` writes half the bytes, then fails. */
export type FaultRule = (call: FileCall) => { code: string; torn?: boolean } | undefined;

export function errnoError(code: string, op: string, path: string): NodeJS.ErrnoException {
  const error = new Error(`${code}: injected failure, ${op} '${path}'`) as NodeJS.ErrnoException;
  error.code = code;
  error.syscall = op;
  error.path = path;
  return error;
}

export class FaultyFileSystem implements StoreFileSystem {
  readonly calls: FileCall[] = [];
  rule: FaultRule | undefined;
  private readonly paths = new Map<number, string>();

  constructor(
    rule?: FaultRule,
    private readonly base: StoreFileSystem = nodeFileSystem,
  ) {
    this.rule = rule;
  }

  /** Every later call goes through (the disk has room again). */
  heal(): void {
    this.rule = undefined;
  }

  private check(op: FileOperation, path: string): { code: string; torn?: boolean } | undefined {
    const call: FileCall = { index: this.calls.length, op, path };
    this.calls.push(call);
    return this.rule?.(call);
  }

  private fail(op: FileOperation, path: string): void {
    const fault = this.check(op, path);
    if (fault) throw errnoError(fault.code, op, path);
  }

  open(path: string, flags: 'r' | 'r+' | 'w' | 'a'): number {
    this.fail('open', path);
    const fd = this.base.open(path, flags);
    this.paths.set(fd, path);
    return fd;
  }

  write(fd: number, bytes: Uint8Array, offset: number, length: number): number {
    const path = this.paths.get(fd) ?? `fd ${fd}`;
    const fault = this.check('write', path);
    if (fault) {
      if (fault.torn && length > 1) this.base.write(fd, bytes, offset, Math.floor(length / 2));
      throw errnoError(fault.code, 'write', path);
    }
    return this.base.write(fd, bytes, offset, length);
  }

  async writeAsync(fd: number, bytes: Uint8Array, offset: number, length: number): Promise<number> {
    const path = this.paths.get(fd) ?? `fd ${fd}`;
    const fault = this.check('writeAsync', path);
    if (fault) {
      if (fault.torn && length > 1) await this.base.writeAsync(fd, bytes, offset, Math.floor(length / 2));
      throw errnoError(fault.code, 'write', path);
    }
    return this.base.writeAsync(fd, bytes, offset, length);
  }

  async flush(fd: number, how: 'fsync' | 'fdatasync'): Promise<void> {
    this.fail('flush', this.paths.get(fd) ?? `fd ${fd}`);
    return this.base.flush(fd, how);
  }

  truncate(fd: number, length: number): void {
    this.fail('truncate', this.paths.get(fd) ?? `fd ${fd}`);
    this.base.truncate(fd, length);
  }

  close(fd: number): void {
    const path = this.paths.get(fd) ?? `fd ${fd}`;
    this.paths.delete(fd);
    // a close is counted but never fails: the descriptor is released either way
    this.check('close', path);
    this.base.close(fd);
  }

  async rename(from: string, to: string): Promise<void> {
    this.fail('rename', to);
    return this.base.rename(from, to);
  }

  unlink(path: string): void {
    this.fail('unlink', path);
    this.base.unlink(path);
  }

  link(existing: string, newPath: string): void {
    this.fail('link', newPath);
    this.base.link(existing, newPath);
  }

  copyFile(from: string, to: string): void {
    this.fail('copyFile', to);
    this.base.copyFile(from, to);
  }

  mkdir(path: string): void {
    this.fail('mkdir', path);
    this.base.mkdir(path);
  }

  async readFile(path: string): Promise<Buffer> {
    this.check('readFile', path);
    return this.base.readFile(path);
  }

  async readAt(fd: number, length: number, position: number): Promise<Buffer> {
    this.check('readAt', this.paths.get(fd) ?? `fd ${fd}`);
    return this.base.readAt(fd, length, position);
  }

  async readdir(path: string): Promise<string[]> {
    this.check('readdir', path);
    return this.base.readdir(path);
  }

  async modifiedAt(path: string): Promise<Date> {
    return this.base.modifiedAt(path);
  }
}

/** The operations that write: the ones a test makes fail (reads are counted, never failed). */
export const WRITING_OPERATIONS: ReadonlySet<FileOperation> = new Set<FileOperation>([
  'open',
  'write',
  'writeAsync',
  'flush',
  'truncate',
  'rename',
  'unlink',
  'link',
  'copyFile',
  'mkdir',
]);
