// The application menu and its shortcuts, as a template built from callbacks (no Electron at run time),
// so its items and accelerators are tested in Node. Item ids let tests and main.ts find items.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newTerminal(): void;
  showCustomerDisplay(): void;
  /** the host's page of LAN terminals: pairing code, QR code, revoke */
  showTerminals(): void;
  /** "Резервная копия…": choose a folder, back the data up there */
  backup(): void;
  reload(): void;
  toggleFullscreen(): void;
  toggleDevTools(): void;
  showAbout(): void;
  quit(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  /** from launch.window.devtools; developer tools stay out of a shop's menu otherwise */
  devtools: boolean;
  productName: string;
  /** what the menu says of the last backup (backupStatusLabel) */
  backupStatus?: string;
}

/** The last backup as the menu shows it, with a warning when the schedule (launch.backup) says one is overdue. */
export function backupStatusLabel(status: { last: { at: string } | null; overdue: boolean }, locale = 'ru-RU'): string {
  const when = status.last
    ? new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(status.last.at))
    : 'ещё не было';
  return status.overdue ? `⚠ Последняя копия: ${when} — пора сделать новую` : `Последняя копия: ${when}`;
}

export const MENU_IDS = {
  newTerminal: 'new-terminal',
  customerDisplay: 'customer-display',
  terminals: 'terminals',
  backup: 'backup',
  backupStatus: 'backup-status',
  reload: 'reload',
  fullscreen: 'fullscreen',
  devtools: 'devtools',
  about: 'about',
  quit: 'quit',
} as const;

export function buildMenuTemplate(actions: MenuActions, context: MenuContext): MenuItemConstructorOptions[] {
  const isMac = context.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    { id: MENU_IDS.reload, label: 'Обновить', accelerator: 'CmdOrCtrl+R', click: () => actions.reload() },
    {
      id: MENU_IDS.fullscreen,
      label: 'Во весь экран',
      accelerator: isMac ? 'Ctrl+Cmd+F' : 'F11',
      click: () => actions.toggleFullscreen(),
    },
    { type: 'separator' },
    { role: 'resetZoom', label: 'Обычный масштаб' },
    { role: 'zoomIn', label: 'Крупнее' },
    { role: 'zoomOut', label: 'Мельче' },
  ];
  if (context.devtools) {
    view.push(
      { type: 'separator' },
      {
        id: MENU_IDS.devtools,
        label: 'Инструменты разработчика',
        accelerator: isMac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I',
        click: () => actions.toggleDevTools(),
      },
    );
  }
  const quitItem: MenuItemConstructorOptions = {
    id: MENU_IDS.quit,
    label: 'Выход',
    accelerator: isMac ? 'Cmd+Q' : 'Ctrl+Q',
    click: () => actions.quit(),
  };
  const about: MenuItemConstructorOptions = {
    id: MENU_IDS.about,
    label: `О программе ${context.productName}`,
    click: () => actions.showAbout(),
  };
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ label: context.productName, submenu: [about, { type: 'separator' }, quitItem] });
  template.push(
    {
      label: 'Касса',
      submenu: [
        {
          id: MENU_IDS.newTerminal,
          label: 'Новое окно кассы',
          accelerator: 'CmdOrCtrl+Shift+N',
          click: () => actions.newTerminal(),
        },
        {
          id: MENU_IDS.customerDisplay,
          label: 'Экран покупателя',
          accelerator: 'CmdOrCtrl+Shift+D',
          click: () => actions.showCustomerDisplay(),
        },
        {
          id: MENU_IDS.terminals,
          label: 'Терминалы в сети…',
          accelerator: 'CmdOrCtrl+Shift+T',
          click: () => actions.showTerminals(),
        },
        { type: 'separator' },
        { id: MENU_IDS.backup, label: 'Резервная копия…', click: () => actions.backup() },
        { id: MENU_IDS.backupStatus, label: context.backupStatus ?? 'Последняя копия: ещё не было', enabled: false },
        ...(isMac ? [] : [{ type: 'separator' } as const, quitItem]),
      ],
    },
    {
      label: 'Правка',
      submenu: [
        { role: 'undo', label: 'Отменить' },
        { role: 'redo', label: 'Повторить' },
        { type: 'separator' },
        { role: 'cut', label: 'Вырезать' },
        { role: 'copy', label: 'Копировать' },
        { role: 'paste', label: 'Вставить' },
        { role: 'selectAll', label: 'Выделить всё' },
      ],
    },
    { label: 'Вид', submenu: view },
  );
  if (!isMac) template.push({ label: 'Справка', submenu: [about] });
  return template;
}
