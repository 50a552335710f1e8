/**
 * The web UI in a real browser (Debian's Chromium through playwright-core) against the running demo plant: log in,
 * see the plant live, open a machine, the case board, OEE, connector health, and verify the audit chain — with no
 * script error on any page. Skipped with a message where Chromium is not installed (CI installs it).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { startDemo } from '../../src/runtime/demo.js';
import { WEB_DIST } from '../../src/api/web-ui.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const skip = CHROMIUM === undefined ? 'Chromium is not installed (CI installs Debian\'s chromium)' : !existsSync(join(WEB_DIST, 'index.html')) ? 'the web UI is not built (npm run build)' : false;

describe('the web UI', () => {
  it('shows the live plant, a machine, cases, OEE, connectors and a verified audit chain', { skip, timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-ui-'));
    const demo = await startDemo({ dataDir, reset: true, ports: 'auto', port: 0, speed: 240 });
    const browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(demo.runtime.url);
      await page.fill('input[autocomplete=username]', 'ada');
      await page.fill('input[type=password]', 'wrong');
      await page.click('button[type=submit]');
      await page.waitForSelector('text=User name or password is wrong.');
      await page.fill('input[type=password]', 'demo-ada');
      await page.click('button[type=submit]');

      await page.waitForSelector('.live.on');
      // Page functions run in the browser; as text they need no DOM types here.
      await page.waitForFunction("document.querySelectorAll('.machine .badge.run, .machine .badge.stop, .machine .badge.fault, .machine .badge.idle').length >= 10", undefined, { timeout: 60_000 });
      assert.ok((await page.locator('.machine').count()) >= 15, 'every machine of the plant is shown');

      await page.click('text=Machining centre 1');
      await page.waitForSelector('text=Context');
      await page.waitForSelector('.signal svg, .signal .muted');

      await page.click('nav >> text=Cases');
      await page.waitForSelector('.board .column h4');
      await page.click('nav >> text=OEE');
      await page.waitForSelector('text=By shift');
      await page.click('nav >> text=Connectors');
      await page.waitForFunction("[...document.querySelectorAll('td .badge')].filter((badge) => badge.textContent === 'connected').length >= 8", undefined, { timeout: 60_000 });
      await page.click('nav >> text=Audit');
      await page.click('text=Verify chain');
      await page.waitForSelector('text=/intact: \\d+ entries/');
      assert.deepEqual(errors, [], 'no script error on any page');
    } finally {
      await browser.close();
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
