// The runnable code samples of docs/*.md. A fenced block is runnable when its info string has the word
// `runnable`; what it is comes from the rest of the info string:
//
//   ```js runnable=manifest                      a whole manifest, loaded and checked by the real validator
//                                                (templates it names that no block gives are stand-ins)
//   ```js runnable=steps                         step objects (comma-separated), validated inside an action
//                                                of a small app made around them (stepsSampleApp)
//   ```js runnable=part                          manifest keys (`sockets: { … },`) replacing those of the app
//   ```html runnable=part file=app/components/x.html   `serverokey new` makes, or one of its files; validated
//   ```js runnable sample=notes file=manifest.js  one file of a small app; every block of the same sample in
//   ```html runnable sample=notes file=app/components/list.html     the same doc makes up the app
//   ```… runnable sample=notes base=new file=…    the app starts as `serverokey new` writes it, then the blocks
//   ```http runnable sample=notes                 a request to the served app and what the answer must be:
//        POST /action/add {"text": "Milk"}        a method, a path and an optional JSON body,
//        → 200 "Milk" !"Error"                     the status, texts it must hold and (!) must not hold
//                                                (terminal=b on the block: sent by a second terminal)
//   ```sh runnable=getting-started                commands test/e2e/getting-started.test.ts runs word by word
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './host.js';

export const docsDir = path.join(projectRoot, 'docs');

export interface DocBlock {
  doc: string;
  /** 1-based line of the opening fence */
  line: number;
  lang: string;
  /** the value of runnable= ('' for a bare `runnable`) */
  kind: string;
  attrs: Record<string, string>;
  text: string;
}

export interface DocRequest {
  method: string;
  path: string;
  body?: unknown;
  status: number;
  contains: string[];
  lacks: string[];
  /** which test terminal sends it (`terminal=b` on the block; default "a"): each has its own cookies */
  terminal: string;
  where: string;
}

export interface DocSample {
  doc: string;
  name: string;
  /** start from `serverokey new`'s app */
  base?: 'new';
  files: Record<string, string>;
  requests: DocRequest[];
  where: string;
}

/** Every fenced block of a Markdown text whose info string marks it runnable. */
export function runnableBlocks(doc: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const end = lines.findIndex((l, j) => j > i && l.trim() === fence);
    if (end < 0) throw new Error(`${doc}:${i + 1}: a code block is never closed`);
    const words = info.trim().split(/\s+/).filter(Boolean);
    const runnable = words.find((w) => w === 'runnable' || w.startsWith('runnable='));
    if (runnable) {
      const attrs: Record<string, string> = {};
      for (const word of words.slice(1)) {
        const eq = word.indexOf('=');
        if (eq > 0) attrs[word.slice(0, eq)] = word.slice(eq + 1);
      }
      const text = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n');
      blocks.push({ doc, line: i + 1, lang: words[0] ?? '', kind: runnable.includes('=') ? runnable.split('=')[1] : '', attrs, text: `${text}\n` });
    }
    i = end;
  }
  return blocks;
}

export function parseRequest(block: DocBlock): DocRequest {
  const where = `${block.doc}:${block.line}`;
  const lines = block.text.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = /^(GET|POST|PUT|PATCH|DELETE) (\S+)(?: (.+))?$/.exec(lines[0] ?? '');
  if (!first) throw new Error(`${where}: a request block starts with "METHOD /path [json body]"`);
  const expect = lines.find((l) => l.startsWith('→'));
  const status = expect ? /^→\s*(\d{3})/.exec(expect)?.[1] : undefined;
  if (!expect || !status) throw new Error(`${where}: a request block says what comes back: → <status> ["text" …] [!"text" …]`);
  const contains: string[] = [];
  const lacks: string[] = [];
  for (const match of expect.matchAll(/(!?)"((?:[^"\\]|\\.)*)"/g)) (match[1] ? lacks : contains).push(JSON.parse(`"${match[2]}"`));
  let body: unknown;
  if (first[3]) {
    try {
      body = JSON.parse(first[3]);
    } catch (error) {
      throw new Error(`${where}: the request body is not JSON: ${(error as Error).message}`);
    }
  }
  return { method: first[1], path: first[2], body, status: Number(status), contains, lacks, terminal: block.attrs.terminal ?? 'a', where };
}

export interface DocSamples {
  manifests: DocBlock[];
  samples: DocSample[];
  byKind(kind: string): DocBlock[];
}

/** The runnable blocks of every docs/*.md, grouped into lone manifests and small apps. */
export function collectDocSamples(dir = docsDir): DocSamples {
  const all: DocBlock[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    all.push(...runnableBlocks(name, readFileSync(path.join(dir, name), 'utf8')));
  }
  const samples = new Map<string, DocSample>();
  for (const block of all.filter((b) => b.kind === '' && b.attrs.sample)) {
    const key = `${block.doc}#${block.attrs.sample}`;
    const sample = samples.get(key) ?? { doc: block.doc, name: block.attrs.sample, files: {}, requests: [], where: `${block.doc}:${block.line}` };
    samples.set(key, sample);
    if (block.attrs.base === 'new') sample.base = 'new';
    if (block.lang === 'http') sample.requests.push(parseRequest(block));
    else if (block.attrs.file) sample.files[block.attrs.file] = block.text;
    else throw new Error(`${block.doc}:${block.line}: a sample's block names its file (file=manifest.js) or is an http request`);
  }
  for (const block of all.filter((b) => b.kind === '' && !b.attrs.sample)) {
    throw new Error(`${block.doc}:${block.line}: a bare runnable block belongs to a sample (sample=<name>)`);
  }
  return {
    manifests: all.filter((b) => b.kind === 'manifest'),
    samples: [...samples.values()],
    byKind: (kind) => all.filter((b) => b.kind === kind),
  };
}

type Record_ = Record<string, unknown>;
const isRecord = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Template files for the components of a lone manifest sample that no block gives: a layout gets a placeholder
 * (inside its `<name>-container`) for each key its routes inject, any other component an empty element. They
 * let the validator check the manifest itself (routes, steps, expressions, channels) without the templates.
 */
export function standInTemplates(manifest: unknown): Record<string, string> {
  if (!isRecord(manifest) || !isRecord(manifest.components) || !isRecord(manifest.routes)) return {};
  const injectsOf = new Map<string, Set<string>>();
  for (const route of Object.values(manifest.routes)) {
    if (!isRecord(route) || typeof route.layout !== 'string') continue;
    const keys = injectsOf.get(route.layout) ?? new Set<string>();
    for (const key of Object.keys(isRecord(route.inject) ? route.inject : {})) keys.add(key);
    injectsOf.set(route.layout, keys);
  }
  const files: Record<string, string> = {};
  for (const [name, config] of Object.entries(manifest.components)) {
    const template = typeof config === 'string' ? config : isRecord(config) && typeof config.template === 'string' ? config.template : undefined;
    if (!template) continue;
    const injects = injectsOf.get(name);
    files[path.join('app', 'components', template)] = injects
      ? `<!DOCTYPE html>\n<html><head><title>{{globals.appName}}</title></head><body>\n${[...injects]
          .map((key) => `<div id="${key}-container"><atom-inject into="${key}"></atom-inject></div>`)
          .join('\n')}\n</body></html>\n`
      : `<div class="${name}"></div>\n`;
    if (isRecord(config) && typeof config.style === 'string') files[path.join('app', 'components', config.style)] = '';
  }
  return files;
}

/**
 * A small app around a ```js runnable=steps block (one or more step objects, separated by commas): one action
 * route runs them, with a stored connector for every `data.<name>` they use, an `app/actions/<name>.js` for every
 * `run`, an internal route for every `action:run`, and logins when they use `auth:` steps. The validator then
 * checks the steps as it checks any app's: kinds, keys, expressions, names.
 */
export function stepsSampleApp(text: string): Record<string, string> {
  const connectors = new Set([...text.matchAll(/\bdata\.(\w+)/g)].map((m) => m[1]));
  const handlers = new Set([...text.matchAll(/\brun:\s*'([\w-]+)'/g)].map((m) => m[1]));
  const subActions = new Set([...text.matchAll(/'action:run':\s*\{\s*name:\s*'([\w-]+)'/g)].map((m) => m[1]));
  const withAuth = /'auth:/.test(text);
  const names = [...connectors].filter((n) => !(withAuth && (n === 'users' || n === 'session')));
  const manifest = `const steps = require('./steps.js');
module.exports = {
  connectors: {
${names.map((n) => `    ${n}: { type: 'lowdb', initialState: { items: [] } },`).join('\n')}
${withAuth ? "    users: { type: 'lowdb', initialState: { items: [] } },\n    session: { type: 'lowdb' }," : ''}
  },
  components: { layout: 'layout.html' },
${withAuth ? "  auth: { userConnector: 'users', identityField: 'login', passwordField: 'passwordHash' }," : ''}
  routes: {
    'GET /': { type: 'view', layout: 'layout' },
${withAuth ? "    'GET /login': { type: 'view', layout: 'layout' }," : ''}
    'POST /action/sample': { type: 'action', reads: ${JSON.stringify(names)}, writes: ${JSON.stringify(names)}, steps },
${[...subActions].map((n) => `    ${JSON.stringify(n)}: { type: 'action', internal: true, steps: [] },`).join('\n')}
  },
};
`;
  const files: Record<string, string> = {
    'package.json': '{"type": "commonjs"}\n',
    'manifest.js': manifest,
    'steps.js': `module.exports = [\n${text}];\n`,
    'app/components/layout.html': '<!DOCTYPE html>\n<html><head><title>Steps</title></head><body></body></html>\n',
  };
  for (const name of handlers) files[`app/actions/${name}.js`] = 'module.exports = function () {};\n';
  return files;
}
