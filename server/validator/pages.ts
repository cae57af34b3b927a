// Which components make up each page: a view route's layout, and every component its inject map puts
// into a placeholder of a template already on the page (placeholders resolve at any depth from the
// route's one flat map, compatibility.md §4.5).
import { componentTemplate, isRecord, type ValidationContext } from './context.js';
import { scanTemplate, type TemplateScan } from './templates.js';

export interface Page {
  routeKey: string;
  inject: Record<string, string>;
  /** component names on the page, layout first */
  components: string[];
  /** placeholder names present in the page's templates */
  placeholders: Set<string>;
  /** false when a component of the page is missing or its template cannot be read */
  complete: boolean;
}

export function templateScanOf(ctx: ValidationContext, component: string): TemplateScan | null {
  const file = componentTemplate(ctx, component);
  return file ? scanTemplate(file) : null;
}

const pagesCache = new WeakMap<ValidationContext, Page[]>();

export function pagesOf(ctx: ValidationContext): Page[] {
  const cached = pagesCache.get(ctx);
  if (cached) return cached;
  const pages: Page[] = [];
  for (const info of ctx.routeList) {
    if (info.type !== 'view' || typeof info.route.layout !== 'string') continue;
    const inject: Record<string, string> = {};
    if (isRecord(info.route.inject)) {
      for (const [k, v] of Object.entries(info.route.inject)) if (typeof v === 'string') inject[k] = v;
    }
    const components: string[] = [];
    const placeholders = new Set<string>();
    const queue = [info.route.layout];
    let complete = true;
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (components.includes(name)) continue;
      const scan = Object.hasOwn(ctx.components, name) ? templateScanOf(ctx, name) : null;
      if (!scan) {
        complete = false;
        continue;
      }
      components.push(name);
      for (const placeholder of scan.placeholders) {
        placeholders.add(placeholder.name);
        const child = inject[placeholder.name];
        if (child !== undefined) queue.push(child);
      }
    }
    pages.push({ routeKey: info.key, inject, components, placeholders, complete });
  }
  pagesCache.set(ctx, pages);
  return pages;
}

/** The pages a component appears on. */
export function pagesWith(ctx: ValidationContext, component: string): Page[] {
  return pagesOf(ctx).filter((page) => page.components.includes(component));
}
