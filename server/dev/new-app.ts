// `serverokey new <dir>`: the smallest app that shows every moving part once — a stored connector, a
// layout with a placeholder, a component with scoped CSS, a page, an action that re-renders a part of it and a
// real-time channel that refreshes that part in every other open window.
// It validates without findings and serves as it is.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const FILES: Record<string, string> = {
  // the manifest is CommonJS, as the original engine's apps were; this keeps it so inside ESM projects
  'package.json': `${JSON.stringify({ private: true, type: 'commonjs' }, null, 2)}\n`,
  'manifest.js': `// The app, described for the Serverokey engine. Check it with: serverokey validate
// Editors: manifest.schema.json (serverokey schema) and the Manifest type describe every key.
module.exports = {
  globals: { appName: 'Notes' },
  connectors: {
    // stored in <data folder>/notes.json; initialState is what a new (or seeded) app starts with
    notes: { type: 'lowdb', initialState: { items: [{ text: 'Hello from Serverokey' }] } },
  },
  components: {
    layout: 'layout.html',
    noteList: { template: 'note-list.html', style: 'note-list.css' },
    noteItems: 'note-items.html',
  },
  sockets: {
    // after every saved change of \`notes\`, elements with atom-socket="notes" refresh themselves
    notes: { watch: 'notes', emit: { event: 'notes-changed' } },
  },
  routes: {
    'GET /': { type: 'view', layout: 'layout', reads: ['notes'], inject: { pageContent: 'noteList', noteItems: 'noteItems' } },
    'POST /action/add': {
      type: 'action',
      reads: ['notes'],
      writes: ['notes'],
      update: 'noteItems',
      steps: [
        { if: '!body.text', then: [{ fail: "'Write something first'", field: 'text' }] },
        { set: 'data.notes.items', to: 'data.notes.items.concat([{ text: body.text }])' },
      ],
    },
    // the refresh other windows make when notes change (read-only, so the host pushes its answer with the event)
    'POST /action/notes': { type: 'action', reads: ['notes'], update: 'noteItems' },
  },
};
`,
  'app/components/layout.html': `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{{globals.appName}}</title>
</head>
<body>
  <h1>{{globals.appName}}</h1>
  <main id="pageContent-container"><atom-inject into="pageContent"></atom-inject></main>
</body>
</html>
`,
  'app/components/note-list.html': `<section class="notes">
  <div id="noteItems-container"><atom-inject into="noteItems"></atom-inject></div>
  <form atom-action="POST /action/add" atom-target="#noteItems-container" atom-reset>
    <input name="text" placeholder="A new note" autofocus>
    <button type="submit">Add</button>
    <span atom-field-error="text"></span>
  </form>
</section>
`,
  'app/components/note-items.html': `<ul atom-socket="notes" atom-on-event="notes-changed" atom-action="POST /action/notes" atom-target="#noteItems-container">
  {{#data.notes.items}}<li>{{text}}</li>{{/data.notes.items}}
</ul>
`,
  'app/components/note-list.css': `:host { max-width: 32rem; font-family: system-ui, sans-serif; }
li { padding: 4px 0; }
`,
};

export async function createNewApp(dir: string): Promise<string[]> {
  const target = path.resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`${target} already exists and is not empty: choose a new folder name`);
  }
  const written: string[] = [];
  for (const [relative, text] of Object.entries(FILES)) {
    const file = path.join(target, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text, { flag: 'wx' });
    written.push(relative);
  }
  return written;
}
