// The HTML reports as a person sees them, in headless Chromium (Debian's chromium,
// driven by playwright-core): cell counts, verdict colours and labels, reasons on hover
// and on click, the fence grid, the plan with its reasons as text, baseline bars to one scale,
// print, an accessibility pass; no network request; a screenshot of each.
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
    // the free combination at the last kernel is the end of the range, said in the cell
    const end = page.locator('td.fence.end-of-range');
    expect(await end.count()).toBe(1);
    expect(await end.innerText()).toMatch(/end of range/);
    expect(await page.locator('td.fence:not(.end-of-range)').innerText()).toMatch(/fence/);
    const fenceCell = page.locator('table.fence-grid tr', { hasText: 'linux-6.13' }).locator('td').nth(1);
    expect(await fenceCell.evaluate((e) => e.classList.contains('fence'))).toBe(true);
    const bitmaps = page.locator('table.fence-grid tr', { hasText: 'linux-5.19' }).locator('td').first();
    expect(await bitmaps.getAttribute('data-verdict')).toBe('fail');
    expect(await bitmaps.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(COLOURS.fail);
    expect(await bitmaps.getAttribute('title')).toMatch(/rollback NO: register-list: the destination does not know the STD_BMAP/);
    await bitmaps.locator('a').click();
    await expect.poll(() => page.locator('details[open]').first().innerText()).toMatch(/linux-5\.18 -> linux-5\.19 on qemu-9\.2[\s\S]*STD_BMAP/);
    // the same break on qemu-11.1 is the same entry, said once for both VMMs
    const other = page.locator('table.fence-grid tr', { hasText: 'linux-5.19' }).locator('td').nth(1);
    expect(await other.locator('a').getAttribute('href')).toBe(await bitmaps.locator('a').getAttribute('href'));
    expect(await page.locator('details', { hasText: 'linux-5.18 -> linux-5.19' }).count()).toBe(1);
    expect(await page.locator('details[open] summary').first().innerText()).toBe('linux-5.18 -> linux-5.19 on qemu-9.2, qemu-11.1');
    await shot('fence');
  });

  it('plan: one row per wave; the point of no return is marked, its rollback red with the reason shown as text, not only on hover', async () => {
    await open('plan', 'plan', '--fleet', 'eu-west');
    expect(await page.locator('table.plan tr.wave').count()).toBe(11);
    // wave 1 (altra-6.12 -> altra-6.6 meets DebugVer 8, which 6.6 refuses: id-registers)
    const first = page.locator('table.plan tr.wave').nth(0);
    expect(await first.evaluate((e) => e.classList.contains('fence'))).toBe(true);
    const rollback = first.locator('td.cell').nth(1);
    // the verdict word, then its reasons, readable in a screenshot or a print
    const [word, ...why] = (await rollback.innerText()).trim().split('\n');
    expect(word).toBe('NO');
    expect(why.join(' ')).toMatch(/cold boot needed: altra-6\.12 -> altra-6\.6: \S+/);
    expect(await rollback.locator('.why').isVisible()).toBe(true);
    expect(await rollback.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(COLOURS.fail);
    // every rollback cell says live, or NO with its reasons (or the wave that gave them) as text
    for (const t of await page.locator('table.plan tr.wave').evaluateAll((rows) => rows.map((r) => (r.querySelectorAll('td.cell')[1] as HTMLElement).innerText.trim())))
      expect(t).toMatch(/^(YES\nlive|NO\ncold boot needed: .+)$/s);
    expect(await page.locator('body').innerText()).toMatch(/point of no return: after wave 1/);
    await shot('plan');
  });

  it('plan: a reason an earlier wave gave is referred to, with a link to that wave', async () => {
    await open('plan-repeated', 'plan', '--fleet', 'eu-west', '--headroom', '0.1');
    const cold = page.locator('table.plan td.cell[data-verdict="fail"]');
    expect(await cold.count()).toBeGreaterThan(1);
    expect(await cold.first().innerText()).toMatch(/cold boot needed: \S+ -> \S+: [a-z-]+/);
    const later = cold.nth(1);
    expect(await later.innerText()).toMatch(/as in\s+wave \d+/);
    const href = await later.locator('.why a').getAttribute('href');
    expect(await page.locator(href!).count()).toBe(1);
    await shot('plan-repeated');
  });

  it('pools: one row per pool, largest first; node names open on click; the reasons between two pools open, coloured by verdict', async () => {
    await open('pools', 'pools', '--fleet', 'eu-west');
    const rows = page.locator('section.now table.pools tr.pool');
    expect(await rows.count()).toBe(3);
    expect(await rows.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-hosts'))))).toEqual([120, 40, 24]);
    const members = rows.first().locator('details.members');
    expect(await members.locator('p.nodes').isVisible()).toBe(false);
    await members.locator('summary').click();
    expect(await members.locator('p.nodes').isVisible()).toBe(true);
    expect(await members.locator('p.nodes').innerText()).toMatch(/^altra-001, altra-002, .*altra-120$/);
    expect(await page.locator('ul.drains li').allInnerTexts()).toEqual(['pool 3 -> pool 1']);
    const apart = page.locator('details.separation');
    expect(await apart.count()).toBe(3);
    const first = apart.first();
    expect(await first.locator('summary').innerText()).toBe('pool 1 and pool 2');
    expect(await first.locator('li').first().isVisible()).toBe(false);
    await first.locator('summary').click();
    const reason = first.locator('li.reason-line').first();
    expect(await reason.isVisible()).toBe(true);
    expect(await reason.innerText()).toMatch(/^NO cpu-identity: MIDR_EL1 differs .*\(4,800 host pairs\)$/);
    expect(await reason.locator('span.v-fail').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(COLOURS.fail);
    // the pool that drains says so where the reasons are
    expect(await apart.nth(1).locator('p.v-clean').textContent()).toBe('clean: it drains');
    await shot('pools');
  });

  it('pools --with-targets: the pools after each wave of the plan, one section a wave', async () => {
    await open('pools-targets', 'pools', '--fleet', 'eu-west', '--with-targets');
    expect(await page.locator('section.wave').count()).toBe(11);
    const last = page.locator('section.wave').last();
    expect(await last.locator('h3').first().innerText()).toMatch(/^after wave 11 .*: 2 pools$/);
    expect(await last.locator('tr.pool').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-hosts'))))).toEqual([144, 40]);
    await shot('pools-targets');
  });

  it('print: verdict colours kept, every reason opened, reasons of the plan on paper', async () => {
    await open('matrix-print', 'matrix', '--fleet', 'eu-west');
    await page.emulateMedia({ media: 'print' });
    const cell = page.locator('td.cell[data-verdict="fail"]').first();
    expect(await cell.evaluate((e) => getComputedStyle(e).printColorAdjust)).toBe('exact');
    await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
    expect(await page.locator('details:not([open])').count()).toBe(0);
    expect(await page.locator('details li').first().isVisible()).toBe(true);
    await shot('matrix-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('baseline: the without and with bars are drawn to one scale from one left edge', async () => {
    await open('baseline', 'baseline', '--fleet', 'eu-west', '--with-targets');
    const rows = page.locator('svg.bars g[data-row]');
    expect(await rows.count()).toBe(2);
    const geometry = (i: number) => rows.nth(i).locator('rect').evaluateAll((rs) => rs.map((r) => ({ x: Number(r.getAttribute('x')), w: Number(r.getAttribute('width')), t: r.querySelector('title')!.textContent!.replace(/^\w+: /, '') })));
    const [without, withIt] = [await geometry(0), await geometry(1)];
    expect(without[0]!.x).toBe(withIt[0]!.x);
    // host pairs per pixel is the same in both rows
    const perPx = (g: { w: number; t: string }[]) => g.map((r) => Number(/(\d+) host pairs/.exec(r.t)![1]) / r.w);
    for (const v of [...perPx(without), ...perPx(withIt)]) expect(v).toBeCloseTo(perPx(without)[0]!, 1);
    // identical tallies are identical bars
    const summary = await page.locator('body').innerText();
    const [, before, after] = /without the baseline: ([^;]+); with it: ([^\n]+)/.exec(summary)!;
    if (before === after) expect(withIt).toEqual(without);
    await shot('baseline');
  });

  it('accessibility: labelled tables and bars, named cell links, AA contrast, and the keyboard opens a cell', async () => {
    for (const [name, argv] of [
      ['a11y-matrix', ['matrix', '--fleet', 'eu-west', '--with-targets']],
      ['a11y-fence', ['fence', '--kernels', 'linux-5.15..linux-6.15', '--vmms', 'qemu-9.2', 'qemu-11.1']],
      ['a11y-plan', ['plan', '--fleet', 'eu-west']],
      ['a11y-baseline', ['baseline', '--fleet', 'eu-west', '--with-targets']],
      ['a11y-pools', ['pools', '--fleet', 'eu-west', '--with-targets']],
    ] as const) {
      await open(name, ...argv);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        for (const t of document.querySelectorAll('table.grid, table.plan, table.hosts, table.pools')) if (!t.querySelector('caption')?.textContent?.trim()) out.push(`table without caption: ${t.className}`);
        for (const th of document.querySelectorAll('table.grid th, table.plan th, table.hosts th, table.pools th')) if (!th.getAttribute('scope')) out.push(`th without scope: ${th.textContent}`);
        for (const svg of document.querySelectorAll('svg')) if (svg.getAttribute('role') !== 'img' || !svg.getAttribute('aria-label')) out.push('svg without role/label');
        for (const a of document.querySelectorAll('td.cell a')) if (!(a.getAttribute('aria-label') ?? a.textContent)?.trim()) out.push('cell link without a name');
        // WCAG 2 contrast of every text element against the background it is drawn on
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
        };
        const bg = (e: Element | null): number[] => {
          for (; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || c[3] !== 0) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        for (const e of document.querySelectorAll('body *')) {
          if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())) continue;
          if (e.closest('svg')) continue;
          const fg = lum(rgb(getComputedStyle(e).color));
          const b = lum(bg(e));
          const ratio = (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
          if (ratio < 4.5) out.push(`contrast ${ratio.toFixed(2)} < 4.5: <${e.tagName.toLowerCase()} class="${e.className}"> ${e.textContent!.trim().slice(0, 40)}`);
        }
        return out;
      });
      expect(problems, name).toEqual([]);
      await shot(name);
    }
    // the keyboard alone: Tab to the first cell that has reasons, Enter opens them
    await open('a11y-keyboard', 'matrix', '--fleet', 'eu-west');
    let target: string | null = null;
    for (let i = 0; i < 200 && !target; i++) {
      await page.keyboard.press('Tab');
      target = await page.evaluate(() => (document.activeElement?.closest('td.cell') ? document.activeElement.getAttribute('href') : null));
    }
    expect(target).toMatch(/^#r1-\d+-\d+$/);
    expect(await page.locator(`details${target}`).evaluate((e) => (e as HTMLDetailsElement).open)).toBe(false);
    // the focused link is drawn with a visible outline
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`details${target}`).evaluate((e) => (e as HTMLDetailsElement).open)).toBe(true);
    await shot('a11y-keyboard');
  });

  it('made no network request', () => {
    expect(requests).toEqual([]);
  });
});
