import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideWindowOpen,
  isNavigationAllowed,
  isPermissionAllowed,
  isSafeExternalUrl,
  isSameOrigin,
  secureWebPreferences,
} from '../../../electron/security.js';

const host = 'http://127.0.0.1:41234';

describe('navigation policy', () => {
  it('allows pages of the host, whatever their path or query', () => {
    assert.equal(isNavigationAllowed('http://127.0.0.1:41234/login?error=1', host), true);
    assert.equal(isNavigationAllowed('HTTP://127.0.0.1:41234/', host), true);
  });

  it('compares origins, not string prefixes', () => {
    for (const target of [
      'http://127.0.0.1:41234.evil.test/',
      'http://127.0.0.1:4123/',
      'https://127.0.0.1:41234/',
      'http://localhost:41234/',
      'http://127.0.0.1:41234@evil.test/',
    ]) {
      assert.equal(isNavigationAllowed(target, host), false, target);
    }
  });

  it('refuses other schemes and garbage', () => {
    for (const target of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'about:blank', 'not a url', '']) {
      assert.equal(isNavigationAllowed(target, host), false, target);
    }
  });

  it('allows nothing before the host has a URL', () => {
    assert.equal(isNavigationAllowed('http://127.0.0.1:41234/', ''), false);
    assert.equal(isSameOrigin('', ''), false);
  });
});

describe('new windows and external links', () => {
  it('never opens a new window of the till', () => {
    assert.equal(decideWindowOpen(`${host}/receipt/1`, host).action, 'deny');
  });

  it('offers an outside http(s) link to the system browser (after asking)', () => {
    assert.deepEqual(decideWindowOpen('https://example.org/help?q=1', host), {
      action: 'ask-external',
      url: 'https://example.org/help?q=1',
    });
  });

  it('denies schemes the OS would hand to another program', () => {
    for (const url of ['file:///C:/Windows/system32/calc.exe', 'smb://server/share', 'ms-settings:', 'javascript:alert(1)']) {
      assert.equal(decideWindowOpen(url, host).action, 'deny', url);
      assert.equal(isSafeExternalUrl(url), false, url);
    }
  });

  it('denies links that hide their destination behind credentials', () => {
    assert.equal(isSafeExternalUrl('https://bank.example@evil.test/'), false);
    assert.equal(isSafeExternalUrl('https://example.org/'), true);
  });
});

describe('permission policy', () => {
  it('denies by default, even to the host', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'hid', 'serial', 'openExternal', 'midi']) {
      assert.equal(isPermissionAllowed(permission, `${host}/`, host), false, permission);
    }
  });

  it('allows the few harmless ones to the host only', () => {
    assert.equal(isPermissionAllowed('clipboard-sanitized-write', `${host}/`, host), true);
    assert.equal(isPermissionAllowed('fullscreen', `${host}/display`, host), true);
    assert.equal(isPermissionAllowed('fullscreen', 'https://evil.test/', host), false);
    assert.equal(isPermissionAllowed('fullscreen', undefined, host), false);
  });
});

describe('web preferences', () => {
  it('follow the Electron security checklist', () => {
    const prefs = secureWebPreferences({ partition: 'persist:terminal-till-1', preload: '/app/preload.cjs' });
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.devTools, false);
    assert.equal(prefs.partition, 'persist:terminal-till-1');
    assert.equal(prefs.preload, '/app/preload.cjs');
  });

  it('open developer tools only when launch.window asks', () => {
    assert.equal(secureWebPreferences({ partition: 'p', devTools: true }).devTools, true);
    assert.equal('preload' in secureWebPreferences({ partition: 'p' }), false);
  });
});
