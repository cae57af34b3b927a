// A key written twice in one object literal (two "GET /" routes, two connectors of one name) is legal
// JavaScript: the later silently replaces the earlier, so the loaded manifest cannot show it. The
// manifest's source files (and the local files they require or import) are read with acorn instead.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, type Node, type Options } from 'acorn';
import { appRelative, type ValidationContext } from './context.js';

const PARSED_EXTENSIONS = ['.js', '.cjs', '.mjs'];

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, ...PARSED_EXTENSIONS.map((ext) => base + ext), ...PARSED_EXTENSIONS.map((ext) => path.join(base, `index${ext}`))]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function parseFile(text: string): Node | undefined {
  const options: Options = { ecmaVersion: 'latest', allowHashBang: true, allowReturnOutsideFunction: true, locations: true };
  for (const sourceType of ['module', 'script'] as const) {
    try {
      return parse(text, { ...options, sourceType });
    } catch {
      // try the other source type; a file that parses as neither fails to load and is reported then
    }
  }
  return undefined;
}

function children(node: any): Node[] {
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'type') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') out.push(item);
    } else if (value && typeof (value as Node).type === 'string') {
      out.push(value as Node);
    }
  }
  return out;
}

function keyName(property: any): string | undefined {
  if (property.type !== 'Property' || property.computed) return undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal') return String(property.key.value);
  return undefined;
}

export function checkDuplicateKeys(ctx: ValidationContext): void {
  if (!ctx.manifestFile) return;
  const queue = [ctx.manifestFile];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file) || !PARSED_EXTENSIONS.includes(path.extname(file))) continue;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const ast = parseFile(text);
    if (!ast) continue;
    const visit = (node: any) => {
      if (node.type === 'ObjectExpression') {
        const first = new Map<string, number>();
        for (const property of node.properties) {
          const name = keyName(property);
          if (name === undefined || name === '__proto__') continue;
          const line = property.loc.start.line as number;
          const earlier = first.get(name);
          if (earlier === undefined) first.set(name, line);
          else {
            ctx.findings.error(
              `${appRelative(ctx, file)}:${line}`,
              `key "${name}" is written twice in one object (first at line ${earlier}); only this later one is used`,
              'remove or rename one of them',
            );
          }
        }
      }
      const specifier =
        node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal'
          ? node.arguments[0].value
          : (node.type === 'ImportDeclaration' || node.type === 'ImportExpression' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') &&
              node.source?.type === 'Literal'
            ? node.source.value
            : undefined;
      if (typeof specifier === 'string' && specifier.startsWith('.')) {
        const target = resolveLocal(file, specifier);
        if (target) queue.push(target);
      }
      for (const child of children(node)) visit(child);
    };
    visit(ast);
  }
}
