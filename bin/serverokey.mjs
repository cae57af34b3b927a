#!/usr/bin/env node
// The serverokey command: runs the built CLI (dist/server/cli.js, from `npm run build`) when there is
// one at least as new as the sources, else the TypeScript sources through tsx.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'server', 'cli.js');
const source = path.join(root, 'server', 'cli.ts');
const useBuilt = existsSync(built) && (!existsSync(source) || statSync(built).mtimeMs >= statSync(source).mtimeMs);

let cli;
if (useBuilt) {
  cli = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(source).href);
}
await cli.main(process.argv);
