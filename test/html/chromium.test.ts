// The HTML reports as a person sees them, in headless Chromium (Debian's chromium,
// driven by playwright-core): cell counts, verdict colours and labels, reasons on hover
// and on click, the fence grid, the plan; no network request; a screenshot of each.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TMP, cli } from '../helpers.js';

const CHROMIUM = process.env.MIGCHECK_CHROMIUM ?? '/usr/bin/chromium';
const have = existsSync(CHROMIUM);
// CI must run it (.ci/run installs chromium); a developer machine without it skips
const suite = have || process.env.CI ? describe : describe.skip;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const COLOURS = { clean: 'rgb(200, 230, 201)', unsafe: 'rgb(255, 243, 196)', fail: 'rgb(255, 205, 210)' };

suite('HTML reports in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
  }, 60_000);
  afterAll(async () => browser?.close());

  async function open(name: string, ...argv: string[]) {
    const r = await cli(...argv, '--format', 'html');
    expect(r.code).toBe(0);
    const file = join(TMP, `${name}.html`);
    writeFileSync(file, r.stdout);
    await page.goto(pathToFileURL(file).href);
    return file;
  }
  const shot = (name: string) => page.screenshot({ path: join(TMP, `${name}.png`), fullPage: true });

  it('matrix: a 5×5 grid per guest, coloured and labelled by verdict; a cell shows its reasons on hover and on click', async () => {
    await open('matrix', 'matrix', '--fleet', 'eu-west', '--with-targets');
    const grid = page.locator('section.matrix').first().locator('table.grid');
    expect(await grid.locator('td.cell').count()).toBe(25);
    expect(await page.locator('section.matrix').count()).toBe(2);
    for (const [verdict, label] of [['clean', 'YES'], ['fail', 'NO']] as const) {
      const cell = grid.locator(`td.cell[data-verdict="${verdict}"]`).first();
      expect(await cell.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(COLOURS[verdict]);
      expect((await cell.innerText()).trim()).toBe(label);
    }
    // 1 -> 4: Altra to Neoverse-V1
    const cell = grid.locator('tr').nth(1).locator('td.cell').nth(3);
    expect(await cell.getAttribute('title')).toMatch(/1 -> 4: fail — cpu-identity: MIDR_EL1 differs/);
    const reason = page.locator('details#r1-1-4');
    expect(await reason.isVisible()).toBe(true);
    expect(await reason.locator('li').first().isVisible()).toBe(false);
    await cell.locator('a').click();
    await expect.poll(() => reason.evaluate((e) => (e as HTMLDetailsElement).open)).toBe(true);
    expect(await reason.locator('li').first().isVisible()).toBe(true);
    expect(await reason.locator('li').first().innerText()).toMatch(/cpu-identity MIDR_EL1: .*0x413fd0c1/);
    await shot('matrix');
    // the legend a person reads the colours by
    expect(await page.locator('p.legend span').allInnerTexts()).toEqual(['YES = clean', 'YES* = unsafe', 'NO = fail']);
  });

  it('fence: one row per kernel, the fence cells outlined, rollback breaks red with their reason', async () => {
    await open('fence', 'fence', '--kernels', 'linux-5.15..linux-6.15', '--vmms', 'qemu-9.2', 'qemu-11.1');
    const rows = page.locator('table.fence-grid tr');
    expect(await rows.count()).toBe(22);
    expect(await page.locator('td.fence').count()).toBe(2);
    const fenceCell = page.locator('table.fence-grid tr', { hasText: 'linux-6.13' }).locator('td').nth(1);
    expect(await fenceCell.evaluate((e) => e.classList.contains('fence'))).toBe(true);
    const bitmaps = page.locator('table.fence-grid tr', { hasText: 'linux-5.19' }).locator('td').first();
    expect(await bitmaps.getAttribute('data-verdict')).toBe('fail');
    expect(await bitmaps.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(COLOURS.fail);
    expect(await bitmaps.getAttribute('title')).toMatch(/rollback NO: register-list: the destination does not know the STD_BMAP/);
    await bitmaps.locator('a').click();
    await expect.poll(() => page.locator('details[open]').first().innerText()).toMatch(/linux-5\.18 -> linux-5\.19 on qemu-9\.2[\s\S]*STD_BMAP/);
    await shot('fence');
  });

  it('plan: one row per wave; the point of no return is marked and its rollback is red', async () => {
    await open('plan', 'plan', '--fleet', 'eu-west');
    expect(await page.locator('table.plan tr.wave').count()).toBe(11);
    // wave 1 (altra-6.12 -> altra-6.6 meets DebugVer 8, which 6.6 refuses: id-registers)
    const first = page.locator('table.plan tr.wave').nth(0);
    expect(await first.evaluate((e) => e.classList.contains('fence'))).toBe(true);
    const rollback = first.locator('td.cell').nth(1);
    expect((await rollback.innerText()).trim()).toBe('NO');
    expect(await rollback.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(COLOURS.fail);
    expect(await page.locator('body').innerText()).toMatch(/point of no return: after wave 1/);
    await shot('plan');
  });

  it('made no network request', () => {
    expect(requests).toEqual([]);
  });
});
