// Plain Node must be able to load the desktop's pure modules: only main.ts, and the modules only it loads,
// may import electron at run time. Checked on the emitted JavaScript, where `import type` is gone.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { projectRoot } from '../../helpers/desktop.js';

const electronDir = path.join(projectRoot, 'electron');
/** main.ts, the modules only it loads, and the preload (which runs in the renderer) */
const ELECTRON_RUNTIME = new Set(['main.ts', 'code-cache-dir.ts', 'desktop-windows.ts', 'printing.ts', 'preload.ts']);

async function runtimeImports(file: string): Promise<string[]> {
  const source = await readFile(path.join(electronDir, file), 'utf8');
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: file,
  }).outputText;
  return ts.preProcessFile(output, true, true).importedFiles.map((f) => f.fileName);
}

describe('desktop module boundaries', () => {
  it('only main.ts and the modules it alone loads import electron at run time', async () => {
    const files = (await readdir(electronDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    assert.ok(files.includes('main.ts'));
    for (const file of files) {
      const imports = await runtimeImports(file);
      if (!ELECTRON_RUNTIME.has(file)) assert.ok(!imports.includes('electron'), `${file} imports electron at run time`);
    }
  });

  it('the Electron-only modules are loaded by main.ts and by nothing else', async () => {
    const files = (await readdir(electronDir)).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const imports = await runtimeImports(file);
      for (const onlyMain of ['./code-cache-dir.js', './desktop-windows.js', './printing.js']) {
        if (file !== 'main.ts') assert.ok(!imports.includes(onlyMain), `${file} loads ${onlyMain}`);
      }
    }
    const mainImports = await runtimeImports('main.ts');
    assert.ok(mainImports.includes('../server/host.js'), 'main.ts starts the engine through server/host.ts');
    assert.ok(mainImports.every((i) => !i.startsWith('../server/') || i === '../server/host.js'), 'electron/ imports only server/host.ts');
  });

  it('the preload imports only electron and the channel names', async () => {
    assert.deepEqual(await runtimeImports('preload.ts'), ['electron', './ipc-channels.js']);
  });
});
