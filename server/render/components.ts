// The component registry: which files make up each component, loaded and prepared once and kept
// until invalidate(). Template files are prepared once per file (several components may share
// one); scoped CSS is computed once per component (its id is stable, so the result is too).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ComponentConfig } from '../manifest/types.js';
import { componentBaseId } from './component-id.js';
import { closestName } from '../manifest/did-you-mean.js';
import { RenderError } from './errors.js';
import { scopeCss } from './scoped-css.js';
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
}

export class ComponentRegistry {
  private readonly files = new Map<string, ComponentFiles>();
  private readonly loaded = new Map<string, LoadedComponent>();
  private readonly templates = new Map<string, PreparedTemplate>();

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
    const failures: Error[] = [];
    for (const name of this.files.keys()) {
      try {
        this.get(name);
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
  }

  private template(files: ComponentFiles): PreparedTemplate {
    const cached = this.templates.get(files.templatePath);
    if (cached) return cached;
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
    const prepared = this.options.prepare(raw, files.templatePath, files.name);
    this.templates.set(files.templatePath, prepared);
    return prepared;
  }

  private css(files: ComponentFiles, baseId: string): string {
    if (!files.stylePath) return '';
    let raw: string;
    try {
      raw = readFileSync(files.stylePath, 'utf8');
    } catch (error) {
      this.options.warn(
        `Component "${files.name}": cannot read its style ${files.stylePath} ` +
          `(${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it renders without CSS.`,
      );
      return '';
    }
    try {
      return scopeCss(raw, baseId, files.stylePath, this.options.warn);
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
