// The Electron main process: one instance per data folder, the engine (createHost) running inside it,
// cashier windows and customer displays opened once the host answers, and a quit that lets the host finish
// in-flight actions and flush its writes. The only module that imports electron at run time, with the
// modules it alone loads (code-cache-dir.ts, desktop-windows.ts, printing.ts).
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type Session, type WebContents } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import './code-cache-dir.js';
import { createHost } from '../server/host.js';
import type { Host } from '../server/host-types.js';
import { DesktopOptionsError, parseDesktopArgs, userArgs, type DesktopOptions } from './desktop-options.js';
import { currentDisplays, DesktopWindows } from './desktop-windows.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { createLifecycle } from './lifecycle.js';
import { backupStatusLabel, buildMenuTemplate } from './menu-template.js';
import { listPrinters, printReceipt } from './printing.js';
import { decideWindowOpen, isNavigationAllowed, isPermissionAllowed, isSafeExternalUrl } from './security.js';
import { createTerminalStore } from './terminal-store.js';
import { cashierWindowPlan, nextTerminal, planWindows, type TerminalSpec } from './window-plan.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, 'preload.cjs');
/** the host's files live in a folder of their own inside userData, next to (not among) Chromium's */
const HOST_DATA_FOLDER = 'pos-data';

function log(message: string): void {
  console.log(`[desktop] ${message}`);
}

function readOptions(): DesktopOptions | undefined {
  try {
    return parseDesktopArgs(userArgs(process.argv, app.isPackaged, app.getAppPath()));
  } catch (error) {
    if (!(error instanceof DesktopOptionsError)) throw error;
    console.error(error.message);
    dialog.showErrorBox('Неверные параметры запуска', error.message);
    app.exit(2);
    return undefined;
  }
}

const parsed = readOptions();
if (parsed) boot(parsed);

function boot(options: DesktopOptions): void {
  // userData decides the single-instance lock and every partition's storage: set it before anything uses it.
  if (options.dataDir) app.setPath('userData', options.dataDir);
  if (!app.requestSingleInstanceLock()) {
    // Another instance owns this data folder and focuses its window (second-instance). Exit only ourselves (compatibility.md D28).
    log('already running; the open till is brought to the front');
    app.exit(0);
    return;
  }
  run(options);
}

function run(options: DesktopOptions): void {
  app.enableSandbox();
  const userData = app.getPath('userData');
  const appDir = options.appDir ?? path.join(app.getAppPath(), 'apps', 'kassa');
  const hostDataDir = path.join(userData, HOST_DATA_FOLDER);
  let host: Host | undefined;
  let windows: DesktopWindows | undefined;
  let knownTerminals: TerminalSpec[] = [];
  const hostUrl = () => host?.url ?? '';
  const terminalStore = createTerminalStore(userData, log);
  const icon = path.join(app.getAppPath(), 'build', 'icon.png');

  const lifecycle = createLifecycle<Host>({
    log,
    async startHost() {
      // without --lan or --server the manifest decides (launch.lan, or launch.mode "server": createHost)
      return createHost({
        appDir,
        dataDir: hostDataDir,
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.lan || options.server ? { lan: true } : {}),
      });
    },
    async openWindows(started) {
      host = started;
      // a full disk: every page shows the host's banner; the owner also gets a dialog, once per outage
      started.onStoreStatus((status) => {
        if (status.ok) return log('the data folder can be written again');
        log(`cannot save: ${status.detail}`);
        void dialog.showMessageBox({
          type: 'warning',
          title: 'Касса не может сохранять данные',
          message: status.message,
          detail: `Пока это так, продажи и изменения отклоняются и не сохраняются; касса продолжит работу сама, когда запись снова станет возможна.\nДанные: ${hostDataDir}`,
        });
      });
      if (options.server || started.launch?.mode === 'server') {
        const code = started.terminals.pairingCode();
        log(`server mode: no windows. Till at ${started.url}; pairing code ${code.code}`);
        return;
      }
      windows = new DesktopWindows({
        host: started,
        preload: PRELOAD,
        icon,
        log,
        onCashierClosed: (terminal, remaining) => {
          // The last window closing quits the app; its terminal stays for the next start.
          if (remaining === 0) return;
          knownTerminals = knownTerminals.filter((t) => t.id !== terminal.id);
          void terminalStore.save(knownTerminals).catch((e) => log(`saving terminals failed: ${String(e)}`));
        },
        onGiveUp: (terminal, reason) => {
          dialog.showErrorBox(
            'Окно кассы аварийно завершилось',
            `Окно «${terminal.name}» несколько раз подряд аварийно завершилось (${reason}). ` +
              'Закройте его и откройте снова из меню «Касса», а если повторится — перезапустите программу.',
          );
        },
      });
      Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(started)));
      // the menu says when the last backup was made; it is rebuilt when that changes
      started.onBackupStatus((status) => {
        Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(started)));
        if (status.error) log(`backup failed: ${status.error}`);
      });
      if (started.backupStatus().overdue) log('the last backup is older than launch.backup allows');
      knownTerminals = await terminalStore.load();
      while (options.terminals !== undefined && knownTerminals.length < options.terminals) {
        knownTerminals.push(nextTerminal(knownTerminals));
      }
      await terminalStore.save(knownTerminals);
      const plan = planWindows(started.launch, knownTerminals, currentDisplays());
      for (const cashier of plan.cashiers) await windows.openCashier(cashier);
      for (const display of plan.customerDisplays) await windows.openCustomerDisplay(display);
    },
    closeWindows: () => windows?.closeAll(),
    async reportStartFailure(message) {
      await app.whenReady();
      dialog.showErrorBox(
        'Касса не запустилась',
        `${message}\n\nПриложение: ${appDir}\nДанные: ${hostDataDir}\n\nИсправьте причину и запустите программу снова.`,
      );
      app.exit(1);
    },
  });

  function menuTemplate(started: Host) {
    return buildMenuTemplate(
      {
        newTerminal: () => void openNewTerminal(started),
        showCustomerDisplay: () => void windows?.showCustomerDisplay(started.launch).catch((e) => log(String(e))),
        showTerminals: () => void BrowserWindow.getFocusedWindow()?.loadURL(new URL('/__terminals', started.url).href),
        backup: () => void backupTo(started),
        reload: () => BrowserWindow.getFocusedWindow()?.webContents.reload(),
        toggleFullscreen: () => {
          const win = BrowserWindow.getFocusedWindow();
          win?.setFullScreen(!win.isFullScreen());
        },
        toggleDevTools: () => BrowserWindow.getFocusedWindow()?.webContents.toggleDevTools(),
        showAbout: () => {
          // the pairing code is shown only on the terminals page, to a manager (anyone can open this dialog)
          const lan = started.host !== '127.0.0.1' ? '\nПодключение терминалов: меню «Касса → Терминалы в сети…» (для менеджера)' : '';
          void dialog.showMessageBox({
            type: 'info',
            title: 'О программе',
            message: `${app.getName()} ${app.getVersion()}`,
            detail: `Адрес кассы: ${started.url}${lan}\nДанные: ${hostDataDir}`,
          });
        },
        quit: () => app.quit(),
      },
      {
        platform: process.platform,
        devtools: started.launch?.window?.devtools === true,
        productName: app.getName(),
        backupStatus: backupStatusLabel(started.backupStatus()),
      },
    );
  }

  /** "Резервная копия…": the owner picks a folder (a USB stick, another disk); the host writes a consistent copy there. */
  async function backupTo(started: Host): Promise<void> {
    const status = started.backupStatus();
    const picked = await dialog.showOpenDialog({
      title: 'Куда сохранить резервную копию',
      defaultPath: status.schedule?.to ?? app.getPath('documents'),
      properties: ['openDirectory', 'createDirectory'],
    });
    if (picked.canceled || !picked.filePaths[0]) return;
    try {
      const result = await started.backup(picked.filePaths[0]);
      void dialog.showMessageBox({
        type: 'info',
        title: 'Резервная копия',
        message: 'Резервная копия сохранена',
        detail: `${result.path}\nФайлов: ${result.files}, ${(result.bytes / 1048576).toFixed(1)} МБ.\nВосстановление: serverokey restore <папка копии> --data <папка данных>`,
      });
    } catch (error) {
      dialog.showErrorBox('Резервная копия не сохранена', (error as Error).message);
    }
  }

  async function openNewTerminal(started: Host): Promise<void> {
    if (!windows) return;
    const open = windows.terminals();
    const terminal = nextTerminal([...knownTerminals, ...open]);
    knownTerminals = [...knownTerminals.filter((t) => t.id !== terminal.id), terminal];
    await terminalStore.save(knownTerminals);
    const count = open.length + 1;
    await windows.openCashier(cashierWindowPlan(started.launch, terminal, open.length, count, currentDisplays()));
  }

  async function askOpenExternal(url: string, contents: WebContents): Promise<void> {
    if (!isSafeExternalUrl(url)) return;
    const parent = BrowserWindow.fromWebContents(contents) ?? undefined;
    const box = {
      type: 'question' as const,
      buttons: ['Открыть в браузере', 'Отмена'],
      defaultId: 1,
      cancelId: 1,
      message: 'Открыть ссылку во внешнем браузере?',
      detail: url,
    };
    const { response } = parent ? await dialog.showMessageBox(parent, box) : await dialog.showMessageBox(box);
    if (response === 0) await shell.openExternal(url);
  }

  function hardenSession(ses: Session): void {
    ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
      callback(isPermissionAllowed(permission, details.requestingUrl, hostUrl())),
    );
    ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
      isPermissionAllowed(permission, requestingOrigin, hostUrl()),
    );
    ses.setDevicePermissionHandler(() => false);
  }

  app.on('session-created', hardenSession);

  app.on('web-contents-created', (_event, contents) => {
    const guard = (event: Electron.Event<{ url: string }>) => {
      if (isNavigationAllowed(event.url, hostUrl())) return;
      event.preventDefault();
      log(`blocked navigation to ${event.url}`);
      if (isSafeExternalUrl(event.url)) void askOpenExternal(event.url, contents);
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', (event) => {
      if (isNavigationAllowed(event.url, hostUrl())) return;
      event.preventDefault();
      log(`blocked redirect to ${event.url}`);
    });
    contents.on('will-frame-navigate', (event) => {
      if (event.isMainFrame || isNavigationAllowed(event.url, hostUrl())) return;
      event.preventDefault();
      log(`blocked frame navigation to ${event.url}`);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideWindowOpen(url, hostUrl());
      if (decision.action === 'ask-external') void askOpenExternal(decision.url, contents);
      return { action: 'deny' };
    });
  });

  registerIpcHandlers(ipcMain, {
    hostUrl,
    log,
    terminalOf: (sender) => windows?.terminalOf(sender),
    printers: (sender) => listPrinters(sender),
    print: (sender, content, printOptions) =>
      printReceipt(
        { hostUrl, launch: () => host?.launch, partitionOf: (c) => windows?.partitionOf(c) },
        sender,
        content,
        printOptions,
      ),
  });

  app.on('second-instance', () => windows?.focusFirstCashier());
  app.on('window-all-closed', () => app.quit());

  // Quit waits for the host: windows close, in-flight actions finish, writes are flushed; then quit for real.
  let quitState: 'running' | 'closing' | 'done' = 'running';
  app.on('before-quit', (event) => {
    if (quitState === 'done') return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    void lifecycle.quit().finally(() => {
      quitState = 'done';
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    return lifecycle.start();
  });
}
