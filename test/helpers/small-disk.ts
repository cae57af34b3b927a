// A small real filesystem for the tests of a full (or read-only) disk: a tmpfs mounted at a new folder.
// Mounting needs root (CI runs as root); elsewhere the reason is returned so the test can say it is skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SmallDisk {
  dir: string;
  unmount(): void;
}

/** A tmpfs with these mount options (e.g. 'size=3m,mode=0700', add ',ro' for read-only), or why it cannot be mounted. */
export function mountSmallDisk(options: string): SmallDisk | string {
  if (process.platform !== 'linux') return 'tmpfs needs Linux';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sok-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()}); run the tests as root, as CI does`;
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
