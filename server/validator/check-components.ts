// Components (compatibility.md §9.3 #9–10): their files exist, their templates parse as the renderer parses them, and
// their CSS can be scoped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { didYouMean } from '../manifest/did-you-mean.js';
import { scopeCss } from '../render/scoped-css.js';
import { appRelative, at, componentsDir, isRecord, type ValidationContext } from './context.js';
import { scanTemplate } from './templates.js';

/** Files under app/components, as paths relative to it (for "Did you mean"). */
function componentFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (sub: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(rel);
      else out.push(rel);
    }
  };
  visit('');
  return out;
}

export function checkComponents(ctx: ValidationContext): void {
  const dir = componentsDir(ctx);
  let files: string[] | undefined;
  const filesHere = () => (files ??= componentFiles(dir));
  const checkedCss = new Set<string>();

  for (const [name, config] of Object.entries(ctx.components)) {
    const objectForm = isRecord(config);
    const template = typeof config === 'string' ? config : objectForm && typeof config.template === 'string' ? config.template : undefined;
    if (template === undefined || template === '') continue; // the schema check reported it
    const style = objectForm && typeof config.style === 'string' && config.style !== '' ? config.style : undefined;

    if (style !== undefined) {
      const full = path.resolve(dir, style);
      if (!existsSync(full)) {
        ctx.findings.error(at('components', name, 'style'), `style file not found: ${appRelative(ctx, full)}`, didYouMean(style, filesHere().filter((f) => f.endsWith('.css'))));
      } else if (!checkedCss.has(full)) {
        checkedCss.add(full);
        checkCss(ctx, full);
      }
    }

    const full = path.resolve(dir, template);
    const where = objectForm ? at('components', name, 'template') : at('components', name);
    if (!existsSync(full)) {
      ctx.findings.error(where, `template file not found: ${appRelative(ctx, full)}`, didYouMean(template, filesHere().filter((f) => !f.endsWith('.css'))));
      continue;
    }
    const scan = scanTemplate(full);
    if (scan?.problem) ctx.findings.error(`${appRelative(ctx, full)}:${scan.problem.line}`, scan.problem.message);
  }
}

function checkCss(ctx: ValidationContext, file: string): void {
  const relative = appRelative(ctx, file);
  try {
    scopeCss(readFileSync(file, 'utf8'), 'check', file, (message) => ctx.findings.warning(relative, message));
  } catch (error) {
    const err = error as Error & { line?: number; reason?: string };
    ctx.findings.error(
      err.line ? `${relative}:${err.line}` : relative,
      `not valid CSS: ${err.reason ?? err.message}; the component renders without its styles`,
    );
  }
}
