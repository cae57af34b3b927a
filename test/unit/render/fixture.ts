// Small apps written to a temp folder: component files under <appDir>/app/components/.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ComponentConfig } from '../../../server/manifest/types.js';
import type { Logger } from '../../../server/log.js';
import { createRenderer, type RenderInput, type RendererOptions } from '../../../server/render/index.js';

export interface Fixture {
  appDir: string;
  write(file: string, text: string): void;
  cleanup(): void;
}

export function makeFixture(files: Record<string, string>): Fixture {
  const appDir = mkdtempSync(path.join(tmpdir(), 'serverokey-render-'));
  const componentsDir = path.join(appDir, 'app', 'components');
  mkdirSync(componentsDir, { recursive: true });
  const write = (file: string, text: string) => writeFileSync(path.join(componentsDir, file), text);
  for (const [file, text] of Object.entries(files)) write(file, text);
  return { appDir, write, cleanup: () => rmSync(appDir, { recursive: true, force: true }) };
}

export interface MemoryLog extends Logger {
  lines: string[];
  warnings: string[];
}

export function memoryLog(): MemoryLog {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => {
      lines.push(`warn: ${m}`);
      warnings.push(m);
    },
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** A renderer over a fresh fixture; `cleanup` removes the folder. */
export function rendererFor(
  files: Record<string, string>,
  components: Record<string, ComponentConfig>,
  options: Partial<Omit<RendererOptions, 'appDir' | 'components'>> = {},
) {
  const fixture = makeFixture(files);
  const log = (options.log as MemoryLog | undefined) ?? memoryLog();
  try {
    const renderer = createRenderer({ appDir: fixture.appDir, components, log, ...options });
    return { renderer, log, fixture, cleanup: fixture.cleanup };
  } catch (error) {
    fixture.cleanup();
    throw error;
  }
}

export function input(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    data: {},
    user: null,
    url: { pathname: '/', query: {} },
    ...overrides,
  };
}
