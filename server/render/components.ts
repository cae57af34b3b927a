// The component registry: which files make up each component, read and prepared once and kept
// until invalidate(). Template files are prepared once per file (several components may share
// one); scoped CSS is computed once per component (its id is stable, so the result is too).
// A registry either prepares every component when the app starts (loadAll), or only reads the files
// and checks their syntax then (readAll) and prepares each component when it is first rendered: a
// start then pays for the components of its first page instead of all of them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ComponentConfig } from '../manifest/types.js';
import { componentBaseId } from './component-id.js';
import { closestName } from '../manifest/did-you-mean.js';
import { RenderError } from './errors.js';
import { scopeCss } from './scoped-css.js';
import { buildMemo } from '../manifest/build-memo.js';
import { prepareTemplate, type PreparedTemplate } from './template-prepare.js';

export interface ComponentFiles {
  name: string;
  templatePath: string;
  stylePath?: string;
  title?: string;
}

export interface LoadedComponent extends ComponentFiles {
  baseId: string;
  template: PreparedTemplate;
  /** scoped CSS; '' when the component has none */
  css: string;
}

export interface RegistryOptions {
  componentsDir: string;
  components: Record<string, ComponentConfig>;
  warn(message: string): void;
  prepare(raw: string, file: string, component: string): PreparedTemplate;
  /** readAll(): rejects a template that preparation would reject for its syntax, without preparing it */
  check?(raw: string, file: string): void;
}

export class ComponentRegistry {
  private readonly files = new Map<string, ComponentFiles>();
  private readonly loaded = new Map<string, LoadedComponent>();
  private readonly templates = new Map<string, PreparedTemplate>();
  /** file texts as read at start-up (or first use), by path */
  private readonly texts = new Map<string, string>();
  /** styles that could not be read: path → reason; components already told about it */
  private readonly unreadable = new Map<string, string>();
  private readonly reportedStyles = new Set<string>();
  private readonly checked = new Set<string>();

  constructor(private readonly options: RegistryOptions) {
    for (const [name, config] of Object.entries(options.components)) {
      this.files.set(name, resolveFiles(name, config, options.componentsDir));
    }
  }

  names(): string[] {
    return [...this.files.keys()];
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  /** Reads and prepares every component now, so a broken app fails at start-up. */
  loadAll(): void {
    this.forEachComponent((name) => this.get(name));
  }

  /**
   * Reads every component's files now and checks its template's syntax, so a missing file or a template
   * Mustache cannot parse fails at start-up and a missing style is reported then; the preparation itself
   * waits for the component's first render (or prepare()).
   */
  readAll(): void {
    this.forEachComponent((name) => {
      const files = this.files.get(name)!;
      const raw = this.templateText(files);
      if (this.options.check && !this.checked.has(files.templatePath)) {
        this.options.check(raw, files.templatePath);
        this.checked.add(files.templatePath);
      }
      if (files.stylePath) this.styleText(files, files.stylePath);
    });
  }

  /** Names of the components not prepared yet. */
  unprepared(): string[] {
    return [...this.files.keys()].filter((name) => !this.loaded.has(name));
  }

  isPrepared(name: string): boolean {
    return this.loaded.has(name);
  }

  private forEachComponent(load: (name: string) => void): void {
    const failures: Error[] = [];
    for (const name of this.files.keys()) {
      try {
        load(name);
      } catch (error) {
        failures.push(error as Error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      throw new RenderError(`${failures.length} components cannot be loaded:\n- ${failures.map((e) => e.message).join('\n- ')}`, {
        cause: failures,
      });
    }
  }

  get(name: string): LoadedComponent {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const files = this.files.get(name);
    if (!files) throw unknownComponent(name, this.names());
    const baseId = componentBaseId(name);
    const component: LoadedComponent = {
      ...files,
      baseId,
      template: this.template(files),
      css: this.css(files, baseId),
    };
    this.loaded.set(name, component);
    return component;
  }

  invalidate(): void {
    this.loaded.clear();
    this.templates.clear();
    this.texts.clear();
    this.checked.clear();
    this.unreadable.clear();
    this.reportedStyles.clear();
  }

  private template(files: ComponentFiles): PreparedTemplate {
    const cached = this.templates.get(files.templatePath);
    if (cached) return cached;
    const prepared = this.options.prepare(this.templateText(files), files.templatePath, files.name);
    this.templates.set(files.templatePath, prepared);
    return prepared;
  }

  private templateText(files: ComponentFiles): string {
    const known = this.texts.get(files.templatePath);
    if (known !== undefined) return known;
    let raw: string;
    try {
      raw = readFileSync(files.templatePath, 'utf8');
    } catch (error) {
      throw new RenderError(
        `Component "${files.name}": cannot read its template ${files.templatePath} ` +
          `(${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). ` +
          'Create the file or fix the path in the manifest\'s components section.',
        { cause: error },
      );
    }
    this.texts.set(files.templatePath, raw);
    return raw;
  }

  /** The style's text; one that cannot be read counts as no CSS and is reported once per component. */
  private styleText(files: ComponentFiles, stylePath: string): string {
    const known = this.texts.get(stylePath);
    if (known !== undefined) return known;
    let reason = this.unreadable.get(stylePath);
    if (reason === undefined) {
      try {
        const raw = readFileSync(stylePath, 'utf8');
        this.texts.set(stylePath, raw);
        return raw;
      } catch (error) {
        reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        this.unreadable.set(stylePath, reason);
      }
    }
    if (!this.reportedStyles.has(files.name)) {
      this.reportedStyles.add(files.name);
      this.options.warn(`Component "${files.name}": cannot read its style ${stylePath} (${reason}); it renders without CSS.`);
    }
    return '';
  }

  private css(files: ComponentFiles, baseId: string): string {
    if (!files.stylePath) return '';
    const raw = this.styleText(files, files.stylePath);
    if (raw === '') return '';
    // the same stylesheet scoped the same way by this build before (a start-up memo: build-memo.ts);
    // a stylesheet that gave warnings is scoped again, so they are given again
    const memo = buildMemo('scoped-css', `${baseId}\n${raw}`);
    const known = memo?.read();
    if (known !== undefined && known !== null) return known;
    try {
      let warned = false;
      const scoped = scopeCss(raw, baseId, files.stylePath, (message) => {
        warned = true;
        this.options.warn(message);
      });
      if (!warned) memo?.write(scoped);
      return scoped;
    } catch (error) {
      // Never fall back to the unscoped CSS: it would leak onto the whole page.
      this.options.warn(
        `Component "${files.name}": ${files.stylePath} is not valid CSS (${(error as Error).message}); ` +
          'it renders without CSS until the file is fixed.',
      );
      return '';
    }
  }
}

function resolveFiles(name: string, config: ComponentConfig, componentsDir: string): ComponentFiles {
  if (typeof config === 'string' && config !== '') {
    return { name, templatePath: path.resolve(componentsDir, config) };
  }
  if (config && typeof config === 'object' && typeof config.template === 'string' && config.template !== '') {
    return {
      name,
      templatePath: path.resolve(componentsDir, config.template),
      stylePath: typeof config.style === 'string' && config.style !== '' ? path.resolve(componentsDir, config.style) : undefined,
      title: typeof config.title === 'string' ? config.title : undefined,
    };
  }
  throw new RenderError(
    `Component "${name}": expected a template file name or { template, style?, title? }, got ${JSON.stringify(config)}.`,
  );
}

export function unknownComponent(name: string, known: string[]): RenderError {
  const suggestion = closestName(name, known);
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  const list = known.length > 0 ? known.map((n) => `"${n}"`).join(', ') : '(none)';
  return new RenderError(`Unknown component "${name}".${hint} Known components: ${list}.`);
}
