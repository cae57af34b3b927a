import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { backupStatusLabel, buildMenuTemplate, MENU_IDS, type MenuActions } from '../../../electron/menu-template.js';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function recordingActions(calls: string[]): MenuActions {
  const record = (name: string) => () => void calls.push(name);
  return {
    newTerminal: record('newTerminal'),
    showCustomerDisplay: record('showCustomerDisplay'),
    showTerminals: record('showTerminals'),
    backup: record('backup'),
    reload: record('reload'),
    toggleFullscreen: record('toggleFullscreen'),
    toggleDevTools: record('toggleDevTools'),
    showAbout: record('showAbout'),
    quit: record('quit'),
  };
}

describe('application menu', () => {
  it('opens another terminal window and the customer display, with shortcuts', () => {
    const calls: string[] = [];
    const items = flatten(buildMenuTemplate(recordingActions(calls), { platform: 'linux', devtools: false, productName: 'POS' }));
    const byId = (id: string) => items.find((i) => i.id === id);
    assert.equal(byId(MENU_IDS.newTerminal)?.accelerator, 'CmdOrCtrl+Shift+N');
    assert.equal(byId(MENU_IDS.customerDisplay)?.accelerator, 'CmdOrCtrl+Shift+D');
    assert.equal(byId(MENU_IDS.terminals)?.accelerator, 'CmdOrCtrl+Shift+T');
    assert.equal(byId(MENU_IDS.quit)?.accelerator, 'Ctrl+Q');
    assert.equal(byId(MENU_IDS.fullscreen)?.accelerator, 'F11');
    for (const id of [MENU_IDS.newTerminal, MENU_IDS.customerDisplay, MENU_IDS.terminals, MENU_IDS.quit]) {
      (byId(id)!.click as () => void)();
    }
    assert.deepEqual(calls, ['newTerminal', 'showCustomerDisplay', 'showTerminals', 'quit']);
  });

  it('shows developer tools only when launch.window.devtools is on', () => {
    const actions = recordingActions([]);
    const without = flatten(buildMenuTemplate(actions, { platform: 'win32', devtools: false, productName: 'POS' }));
    const withTools = flatten(buildMenuTemplate(actions, { platform: 'win32', devtools: true, productName: 'POS' }));
    assert.equal(without.some((i) => i.id === MENU_IDS.devtools), false);
    assert.equal(withTools.find((i) => i.id === MENU_IDS.devtools)?.accelerator, 'Ctrl+Shift+I');
  });

  it('follows macOS conventions there', () => {
    const template = buildMenuTemplate(recordingActions([]), { platform: 'darwin', devtools: false, productName: 'POS' });
    assert.equal(template[0]?.label, 'POS');
    assert.equal(flatten(template).find((i) => i.id === MENU_IDS.quit)?.accelerator, 'Cmd+Q');
  });

  it('has "Резервная копия…" and says when the last backup was made, warning when it is overdue', () => {
    const calls: string[] = [];
    const label = backupStatusLabel({ last: { at: '2026-12-06T05:19:00.000Z' }, overdue: true });
    const items = flatten(buildMenuTemplate(recordingActions(calls), { platform: 'linux', devtools: false, productName: 'POS', backupStatus: label }));
    const backup = items.find((i) => i.id === MENU_IDS.backup)!;
    assert.equal(backup.label, 'Резервная копия…');
    (backup.click as () => void)();
    assert.deepEqual(calls, ['backup']);
    const status = items.find((i) => i.id === MENU_IDS.backupStatus)!;
    assert.equal(status.enabled, false);
    assert.match(String(status.label), /^⚠ Последняя копия: 06\.12\.2026, \d\d:19 — пора сделать новую$/);
    assert.equal(backupStatusLabel({ last: null, overdue: false }), 'Последняя копия: ещё не было');
    assert.doesNotMatch(backupStatusLabel({ last: { at: '2026-12-06T05:19:00.000Z' }, overdue: false }), /⚠/);
  });

  it('has no duplicate ids', () => {
    const ids = flatten(buildMenuTemplate(recordingActions([]), { platform: 'linux', devtools: true, productName: 'P' }))
      .map((i) => i.id)
      .filter(Boolean);
    assert.equal(new Set(ids).size, ids.length);
  });
});
