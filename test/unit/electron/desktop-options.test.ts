import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DesktopOptionsError, parseDesktopArgs, userArgs } from '../../../electron/desktop-options.js';

describe('desktop command line', () => {
  it('reads the app folder, data folder, port, LAN, server mode and terminal count', () => {
    const options = parseDesktopArgs(['--app', 'apps/other', '--data=/var/pos', '--port', '8080', '--lan', '--terminals', '2'], '/home/pos');
    assert.deepEqual(options, {
      appDir: path.resolve('/home/pos', 'apps/other'),
      dataDir: '/var/pos',
      port: 8080,
      lan: true,
      server: false,
      terminals: 2,
    });
  });

  it('leaves Chromium switches alone', () => {
    assert.deepEqual(parseDesktopArgs(['--no-sandbox', '--enable-logging', '--server']), { lan: false, server: true });
  });

  it('refuses a port or terminal count that is not a number in range', () => {
    assert.throws(() => parseDesktopArgs(['--port', 'abc']), DesktopOptionsError);
    assert.throws(() => parseDesktopArgs(['--port', '70000']), /--port needs a whole number from 0 to 65535, got "70000"/);
    assert.throws(() => parseDesktopArgs(['--terminals', '0']), /--terminals/);
  });
});

describe('user arguments from process.argv', () => {
  it('drop the executable of a packaged app', () => {
    assert.deepEqual(userArgs(['/opt/pos/serverokey-pos', '--lan'], true), ['--lan']);
  });

  it('drop the app path of a development run, wherever switches put it', () => {
    assert.deepEqual(userArgs(['/x/electron', '/work/main', '--port', '1'], false, '/work/main'), ['--port', '1']);
    assert.deepEqual(
      userArgs(['/x/electron', '--inspect=0', '--remote-debugging-port=0', '/work/main', '--data', '/tmp/d'], false, '/work/main'),
      ['--inspect=0', '--remote-debugging-port=0', '--data', '/tmp/d'],
    );
  });

  it('do not take an option value for the app path', () => {
    assert.deepEqual(userArgs(['/x/electron', '--app', 'apps/demo', '/work/main'], false, '/work/main'), ['--app', 'apps/demo']);
  });
});
