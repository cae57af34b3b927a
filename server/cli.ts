// The `serverokey` command: serve, dev, validate, seed, new, schema, and the data commands (import,
// backup, restore, export: data-commands.ts). Each command's --help says
// what it does; errors that reach the terminal say what happened and what to do.
import { writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { createHost } from './host.js';
import { createLogger } from './log.js';
import { startDevLoop } from './dev/dev-loop.js';
import { createNewApp } from './dev/new-app.js';
import { seedApp } from './dev/seed.js';
import { findingsAsJson, formatReport, validateApp } from './validator/index.js';
import { manifestJsonSchema } from './validator/json-schema.js';
import { addShop, setUpHeadOffice } from './chain/head-office.js';
import { chainStatusText } from './chain/status.js';
import { importCatalogue } from './chain/import-catalogue.js';
import {
  backupCommand,
  defaultDataDir,
  exportCommand,
  formatImportReport,
  importCommand,
  restoreCommand,
  verifyBackup,
} from './data-commands.js';

/** Where the commands write: the terminal, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const terminal: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

interface HostFlags {
  port?: number;
  data?: string;
  database?: string;
  chain?: string;
  shop?: string;
  lan?: boolean;
  debug?: boolean;
}

/** `validate` found errors: the command succeeded, but its exit code is 1. */
const validationFailed = new WeakSet<CliOutput>();

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0: any free port)');
  return port;
}

/** <appDir>/.data unless --data says otherwise (the host's own default). */
function dataDirOf(appDir: string, data: string | undefined): string {
  return path.resolve(data ?? path.join(appDir, '.data'));
}

/** Resolves when the process is asked to stop (Ctrl+C, or a service manager's SIGTERM). */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function serve(io: CliOutput, appDirArg: string, flags: HostFlags): Promise<void> {
  const appDir = path.resolve(appDirArg);
  const dataDir = dataDirOf(appDir, flags.data);
  {
    const chain = flags.chain || flags.shop ? { url: flags.chain, shop: flags.shop } : undefined;
    const host = await createHost({ appDir, dataDir, port: flags.port, lan: flags.lan, debug: flags.debug, database: flags.database, chain });
    if (flags.lan) {
      const { code } = host.terminals.pairingCode();
      io.out(`other devices: open http://<this computer's address>:${host.port}/__pair and enter the code ${code}\n`);
    }
    io.out('press Ctrl+C to stop\n');
    await stopSignal();
    await host.close();
  }
}

async function dev(io: CliOutput, appDirArg: string, flags: HostFlags): Promise<void> {
  const appDir = path.resolve(appDirArg);
  const loop = await startDevLoop({
    appDir,
    dataDir: dataDirOf(appDir, flags.data),
    database: flags.database,
    port: flags.port,
    lan: flags.lan,
    debug: flags.debug,
    print: (line) => io.out(`${line}\n`),
  });
  io.out(`watching ${appDir} for changes; press Ctrl+C to stop\n`);
  await stopSignal();
  await loop.close();
}

async function validate(io: CliOutput, appDirArg: string, flags: { json?: boolean }): Promise<void> {
  const report = await validateApp(path.resolve(appDirArg));
  const color = io === terminal && process.stdout.isTTY;
  io.out(`${flags.json ? findingsAsJson(report.findings) : formatReport(report.findings, { color })}\n`);
  if (!report.ok) validationFailed.add(io);
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function seed(io: CliOutput, appDirArg: string, flags: { data?: string; yes?: boolean }): Promise<void> {
  const appDir = path.resolve(appDirArg);
  const dataDir = dataDirOf(appDir, flags.data);
  if (!flags.yes) {
    if (io !== terminal || !process.stdin.isTTY) {
      throw new Error('seed deletes the stored data of the app; run it in a terminal to confirm, or add --yes');
    }
    if (!(await confirm(`Reset every stored connector of ${appDir} in ${dataDir} to its initialState? This deletes the data. [y/N] `))) {
      io.out('nothing changed\n');
      return;
    }
  }
  const { reset } = await seedApp({ appDir, dataDir, log: createLogger(true) });
  io.out(`${reset.length > 0 ? `reset to initialState: ${reset.join(', ')}` : 'the app has no stored connectors; nothing to reset'}\n`);
}

async function create(io: CliOutput, dir: string): Promise<void> {
  const files = await createNewApp(dir);
  const shown = path.relative(process.cwd(), path.resolve(dir)) || '.';
  io.out(`created ${shown}: ${files.join(', ')}\nnext: serverokey dev ${shown}\n`);
}

async function schema(io: CliOutput, flags: { out: string }): Promise<void> {
  const text = `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
  if (flags.out === '-') {
    io.out(text);
    return;
  }
  await writeFile(flags.out, text);
  io.out(`wrote ${flags.out}; in manifest.js, the Manifest type (server/manifest/types.ts) gives completion through JSDoc\n`);
}

function addHostOptions(command: Command): Command {
  return command
    .option('-p, --port <port>', 'port to listen on (default: PORT, then launch.port, then a free port)', parsePort)
    .option('-d, --data <dir>', 'folder for stored connectors (default: <appDir>/.data)')
    .option('--database <url>', 'keep the stored connectors in PostgreSQL, e.g. postgres://user:password@host:5432/db (default: SERVEROKEY_DATABASE_URL); several hosts may serve one database')
    .option('--chain <url>', "a chain's shop: send the journals to head office's database, postgres://shop_<id>:<password>@host/db (default: SERVEROKEY_CHAIN_URL)")
    .option('--shop <id>', "a chain's shop: this shop's id (default: SERVEROKEY_SHOP, then launch.chain.shop)")
    .option('--lan', 'listen on the local network; other devices pair with a code')
    .option('--debug', 'log action bodies and failed conditions; mark pages for the client debug log');
}

export function buildProgram(io: CliOutput = terminal): Command {
  const program = new Command('serverokey')
    .description('Serve, develop and check Serverokey apps (a manifest.js, templates and actions)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    // errors and --help end the command, never the process: main() sets the exit code
    .exitOverride();

  addHostOptions(program.command('serve').argument('[appDir]', 'the app folder (holding manifest.js)', '.'))
    .description('serve an app')
    .action((appDir: string, flags: HostFlags) => serve(io, appDir, flags));

  const chain = program.command('chain').description('a chain of shops: head office set-up, shops, and a shop\'s upload status');
  chain
    .command('setup')
    .description("create or update head office's tables (with the database owner's URL)")
    .requiredOption('--database <url>', "head office's database, as its owner")
    .action(async (flags: { database: string }) => {
      await setUpHeadOffice(flags.database);
      io.out('head office: tables ready\n');
    });
  chain
    .command('add-shop')
    .argument('<id>', 'the new shop\'s id (lower-case letters, digits, - and _)')
    .description("create a shop's PostgreSQL role (it may only add its own shop's records); the password comes from SERVEROKEY_SHOP_PASSWORD")
    .requiredOption('--database <url>', "head office's database, as its owner")
    .action(async (id: string, flags: { database: string }) => {
      const password = process.env.SERVEROKEY_SHOP_PASSWORD;
      if (!password) throw new InvalidArgumentError('set SERVEROKEY_SHOP_PASSWORD to the new shop\'s password (12 characters or more)');
      const { role } = await addShop(flags.database, id, password);
      io.out(`shop "${id}": role ${role} created; on the shop: SERVEROKEY_CHAIN_URL=postgres://${role}:<password>@<head office>/<database> --shop ${id}\n`);
    });
  chain
    .command('import-catalogue')
    .argument('[appDir]', 'the till app (its launch.chain.catalogue names the catalogue connector)', '.')
    .description("a chain's first catalogue: every product of a till's catalogue into head office's (products head office has are kept); the till must be stopped")
    .requiredOption('--database <url>', "head office's database, as its owner")
    .option('-d, --data <dir>', "the till's data folder (default: <appDir>/.data)")
    .action(async (appDir: string, flags: { database: string; data?: string }) => {
      const resolved = path.resolve(appDir);
      const outcome = await importCatalogue({ appDir: resolved, dataDir: dataDirOf(resolved, flags.data), adminUrl: flags.database, log: createLogger(true) });
      io.out(`head office's catalogue: ${outcome.added} product(s) added from "${outcome.connector}", ${outcome.kept} already there and kept\n`);
    });
  chain
    .command('status')
    .description("a shop's upload state: records waiting, last upload (from its data folder)")
    .option('-d, --data <dir>', 'the shop\'s data folder', '.data')
    .action(async (flags: { data: string }) => io.out(`${await chainStatusText(path.resolve(flags.data))}\n`));

  addHostOptions(program.command('dev').argument('[appDir]', 'the app folder (holding manifest.js)', '.'))
    .description('serve an app and reload it on every change; errors show in the terminal and over open pages')
    .action((appDir: string, flags: HostFlags) => dev(io, appDir, flags));

  program
    .command('validate')
    .argument('[appDir]', 'the app folder (holding manifest.js)', '.')
    .option('--json', 'print the findings as JSON: [{ severity, location, message, suggestion }]')
    .description('check an app: manifest, expressions, templates; exit code 1 when there are errors')
    .action((appDir: string, flags: { json?: boolean }) => validate(io, appDir, flags));

  program
    .command('seed')
    .argument('[appDir]', 'the app folder (holding manifest.js)', '.')
    .option('-d, --data <dir>', 'the data folder to reset (default: <appDir>/.data)')
    .option('-y, --yes', 'do not ask for confirmation')
    .description('reset every stored connector of an app to its initialState (refused while a host serves the folder)')
    .action((appDir: string, flags: { data?: string; yes?: boolean }) => seed(io, appDir, flags));

  program
    .command('new')
    .argument('<dir>', 'the folder to create')
    .description('create a minimal working app')
    .action((dir: string) => create(io, dir));

  program
    .command('schema')
    .option('-o, --out <file>', 'where to write the JSON Schema ("-" for standard output)', 'manifest.schema.json')
    .description('write the JSON Schema of the manifest, for editor completion and checks')
    .action((flags: { out: string }) => schema(io, flags));

  program
    .command('import')
    .argument('<appDir>', 'the app folder (holding manifest.js and, usually, wise-db-data/)')
    .option('--from <folder>', "the original engine's data folder (default: <appDir>/wise-db-data)")
    .option('-d, --data <dir>', 'the data folder to import into (default: <appDir>/.data)')
    .option('--replace', 'import into a folder that holds data: the current data is kept aside, never deleted')
    .description("import the original Serverokey engine's wise-json data (users with their passwords, products, receipts)")
    .action(async (appDir: string, flags: { from?: string; data?: string; replace?: boolean }) => {
      const resolved = path.resolve(appDir);
      const outcome = await importCommand({ appDir: resolved, dataDir: dataDirOf(resolved, flags.data), from: flags.from, replace: flags.replace, log: createLogger(true) });
      io.out(formatImportReport(outcome));
    });

  program
    .command('backup')
    .option('-d, --data <dir>', `the data folder (default: ${defaultDataDir()}, as npm start uses)`)
    .option('--to <folder>', 'where to put the backup (a new folder serverokey-backup-<time> inside it)')
    .option('--verify <backup>', 'check a backup: every file against its SHA-256')
    .description('back up the data folder, consistently even while the till runs; or --verify a backup')
    .action(async (flags: { data?: string; to?: string; verify?: string }) => {
      if (flags.verify) {
        const result = await verifyBackup(flags.verify);
        io.out(`${result.path}: complete and intact (${result.files} files, ${result.bytes} bytes, taken ${result.manifest.createdAt})\n`);
        return;
      }
      if (!flags.to) throw new Error('say where the backup goes: --to <folder> (or --verify <backup>)');
      const result = await backupCommand(flags.data ?? defaultDataDir(), flags.to);
      io.out(`backup written: ${result.path} (${result.files} files, ${result.bytes} bytes, ${result.ms} ms${result.through === 'host' ? ', taken by the running host' : ''})\n`);
    });

  program
    .command('restore')
    .argument('<backup>', 'a backup folder (serverokey-backup-<time>)')
    .option('-d, --data <dir>', `the data folder to restore into (default: ${defaultDataDir()})`)
    .description('restore a backup into a data folder (refused while a host serves it; the replaced data is kept aside)')
    .action(async (backup: string, flags: { data?: string }) => {
      const result = await restoreCommand(backup, flags.data ?? defaultDataDir(), (step, detail) => io.out(`${step}: ${detail}\n`));
      io.out(
        `restored ${result.files} files into ${result.dataDir}` +
          `${result.keptAside ? `; the data it replaced is kept in ${result.keptAside}` : ''}\n`,
      );
    });

  program
    .command('export')
    .argument('[appDir]', 'the app folder (holding manifest.js)', '.')
    .option('-d, --data <dir>', 'the data folder (default: <appDir>/.data)')
    .option('-j, --journal <name>', 'an export of the manifest (exports) or a journal connector (default: sales)')
    .option('--from <YYYY-MM-DD>', 'first day (inclusive)')
    .option('--to <YYYY-MM-DD>', 'last day (inclusive)')
    .option('-f, --format <format>', 'csv (UTF-8 with BOM, ";" separated) or jsonl', 'csv')
    .option('-o, --out <file>', 'where to write ("-" for standard output; default <journal>_<from>_<to>.<format> here)')
    .description('export a journal (sales, Z reports) by date range as CSV or JSON lines')
    .action(async (appDir: string, flags: { data?: string; journal?: string; from?: string; to?: string; format?: string; out?: string }) => {
      const resolved = path.resolve(appDir);
      const result = await exportCommand({ ...flags, appDir: resolved, dataDir: dataDirOf(resolved, flags.data) }, io.out);
      if (result.file !== '-') {
        io.err(`${result.records} record(s) written to ${result.file}${result.skipped ? ` (${result.skipped} damaged line(s) skipped)` : ''}\n`);
      }
    });

  return program;
}

/** Runs the command line; returns the exit code (also set as process.exitCode when run from the terminal). */
export async function main(argv: string[] = process.argv, io: CliOutput = terminal): Promise<number> {
  let code = 0;
  try {
    await buildProgram(io).parseAsync(argv);
    code = validationFailed.has(io) ? 1 : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      code = error.exitCode; // commander has printed its message or the help
    } else {
      io.err(`serverokey: ${(error as Error).message}\n`);
      code = 1;
    }
  } finally {
    validationFailed.delete(io);
  }
  if (io === terminal) process.exitCode = code;
  return code;
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
