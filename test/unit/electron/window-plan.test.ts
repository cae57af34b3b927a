import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cashierWindowPlan,
  customerDisplayPath,
  DEFAULT_WINDOW_SIZE,
  nextTerminal,
  planCustomerDisplayFor,
  planWindows,
  secondaryDisplays,
  terminalPartition,
  type DisplayInfo,
} from '../../../electron/window-plan.js';

const laptop: DisplayInfo = {
  id: 1,
  primary: true,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
};
const customerMonitor: DisplayInfo = { id: 2, primary: false, bounds: { x: 1920, y: 0, width: 1024, height: 768 } };
const leftMonitor: DisplayInfo = { id: 3, primary: false, bounds: { x: -800, y: 0, width: 800, height: 600 } };
const till1 = { id: 'till-1', name: 'Касса 1' };
const till2 = { id: 'till-2', name: 'Касса 2' };

describe('terminal partitions', () => {
  it('gives every terminal its own persistent partition', () => {
    assert.equal(terminalPartition('till-1'), 'persist:terminal-till-1');
    assert.notEqual(terminalPartition('till-1'), terminalPartition('till-2'));
  });

  it('refuses ids that could escape the partition name', () => {
    for (const bad of ['', 'Till', '../x', 'a b', 'x'.repeat(41), '-lead']) {
      assert.throws(() => terminalPartition(bad), /Invalid terminal id/);
    }
  });

  it('numbers a new terminal with the first free number', () => {
    assert.deepEqual(nextTerminal([]), { id: 'till-1', name: 'Касса 1' });
    assert.deepEqual(nextTerminal([till1, { id: 'till-3', name: 'Касса 3' }]), { id: 'till-2', name: 'Касса 2' });
  });
});

describe('cashier windows', () => {
  it('honours launch.window: title, size, devtools, kiosk, fullscreen', () => {
    const plan = cashierWindowPlan(
      { window: { title: 'Атомная касса', width: 1280, height: 820, devtools: true, kiosk: true, fullscreen: true } },
      till1,
      0,
      1,
      [laptop],
    );
    assert.equal(plan.title, 'Атомная касса');
    assert.equal(plan.partition, 'persist:terminal-till-1');
    assert.equal(plan.path, '/');
    assert.deepEqual(
      { w: plan.bounds.width, h: plan.bounds.height, devtools: plan.devtools, kiosk: plan.kiosk, full: plan.fullscreen },
      { w: 1280, h: 820, devtools: true, kiosk: true, full: true },
    );
    assert.equal(plan.displayId, 1);
  });

  it('uses defaults without a launch section and centres on the primary monitor', () => {
    const plan = cashierWindowPlan(undefined, till1, 0, 1, [customerMonitor, laptop]);
    assert.equal(plan.title, 'Serverokey POS');
    assert.equal(plan.bounds.width, DEFAULT_WINDOW_SIZE.width);
    assert.equal(plan.bounds.x, (1920 - DEFAULT_WINDOW_SIZE.width) / 2);
    assert.equal(plan.displayId, laptop.id);
    assert.deepEqual([plan.kiosk, plan.fullscreen, plan.devtools], [false, false, false]);
  });

  it('shrinks a window larger than the work area and keeps it on screen', () => {
    const small: DisplayInfo = { id: 9, primary: true, bounds: { x: 0, y: 0, width: 1024, height: 768 } };
    const plan = cashierWindowPlan({ window: { width: 1600, height: 1200 } }, till1, 3, 4, [small]);
    assert.deepEqual(plan.bounds, { x: 0, y: 0, width: 1024, height: 768 });
  });

  it('names the terminal in the title and cascades when there are several', () => {
    const plan = planWindows({ window: { title: 'Касса' } }, [till1, till2], [laptop]);
    assert.deepEqual(plan.cashiers.map((c) => c.title), ['Касса — Касса 1', 'Касса — Касса 2']);
    assert.deepEqual(plan.cashiers.map((c) => c.partition), ['persist:terminal-till-1', 'persist:terminal-till-2']);
    assert.ok(plan.cashiers[1]!.bounds.x > plan.cashiers[0]!.bounds.x);
  });
});

describe('customer displays', () => {
  it('opens none without a customerDisplay section or when it is disabled', () => {
    assert.equal(planWindows({}, [till1], [laptop, customerMonitor]).customerDisplays.length, 0);
    const disabled = planWindows({ customerDisplay: { enabled: false } }, [till1], [laptop, customerMonitor]);
    assert.equal(disabled.customerDisplays.length, 0);
  });

  it('puts the display fullscreen on the second monitor, in the terminal partition', () => {
    const { customerDisplays } = planWindows({ customerDisplay: { path: '/screen' } }, [till1], [laptop, customerMonitor]);
    assert.equal(customerDisplays.length, 1);
    const display = customerDisplays[0]!;
    assert.equal(display.partition, 'persist:terminal-till-1');
    assert.equal(display.path, '/screen');
    assert.equal(display.fullscreen, true);
    assert.equal(display.displayId, customerMonitor.id);
    assert.deepEqual(display.bounds, customerMonitor.bounds);
  });

  it('with one monitor opens a display only when enabled: true, as a window on that monitor', () => {
    assert.equal(planWindows({ customerDisplay: {} }, [till1], [laptop]).customerDisplays.length, 0);
    const [display] = planWindows({ customerDisplay: { enabled: true } }, [till1], [laptop]).customerDisplays;
    assert.ok(display);
    assert.equal(display.fullscreen, false);
    assert.equal(display.path, '/display');
    assert.equal(display.displayId, laptop.id);
  });

  it('gives each terminal its own secondary monitor, left to right', () => {
    assert.deepEqual(secondaryDisplays([laptop, customerMonitor, leftMonitor]).map((d) => d.id), [3, 2]);
    const { customerDisplays } = planWindows({ customerDisplay: {} }, [till1, till2], [laptop, customerMonitor, leftMonitor]);
    assert.deepEqual(
      customerDisplays.map((d) => [d.terminal.id, d.displayId]),
      [
        ['till-1', 3],
        ['till-2', 2],
      ],
    );
  });

  it('from the menu picks a monitor no other display uses', () => {
    const plan = planCustomerDisplayFor({}, till2, [laptop, customerMonitor, leftMonitor], new Set([3]));
    assert.equal(plan.displayId, 2);
    const none = planCustomerDisplayFor({}, till2, [laptop, customerMonitor], new Set([2]));
    assert.equal(none.fullscreen, false);
  });

  it('ignores a display path that is not a local path', () => {
    assert.equal(customerDisplayPath({ customerDisplay: { path: '//evil.test/x' } }), '/display');
    assert.equal(customerDisplayPath({ customerDisplay: { path: 'https://evil.test' } }), '/display');
  });
});
