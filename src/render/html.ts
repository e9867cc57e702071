// The HTML page every report renders into: one self-contained file (inline CSS, inline
// SVG, a few lines of script to open a cell's reasons), no network access.
import type { Verdict } from '../model.js';
import type { Tally } from '../fleet/matrix.js';
import { WORKS } from './style.js';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

// colours: every text/background pair at least 4.5:1 (WCAG AA), checked in test/html
const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d1d1f;max-width:1400px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}caption{text-align:left;font-weight:600;padding:.2em 0}
th,td{border:1px solid #c8c8c8;padding:.25em .5em;text-align:left;vertical-align:top}
table.grid td.cell{text-align:center;min-width:3.2em;font-weight:600}
td.cell>a{color:inherit;text-decoration:none;display:block}.why a{color:inherit}
a:focus-visible,summary:focus-visible{outline:3px solid #0d47a1;outline-offset:1px}
.v-clean{background:#c8e6c9;color:#1b5e20}.v-unsafe{background:#fff3c4;color:#6b4f00}.v-fail{background:#ffcdd2;color:#8e0000}
.why{font-weight:400;font-size:.92em;margin-top:.2em;text-align:left}
.legend span{display:inline-block;padding:.1em .6em;margin-right:.6em;border-radius:3px}
details{margin:.2em 0}details[open]{background:#f6f6f6}summary{cursor:pointer}
.fence{outline:3px solid #1565c0;outline-offset:-3px}.end-of-range{outline:3px dashed #5f6b7a;outline-offset:-3px}.free{box-shadow:inset 0 -4px 0 #90caf9}
.mark{display:block;font-size:.8em;font-weight:400}
.muted{color:#595959}code{font-size:.95em}
svg.bars text{font:12px system-ui,sans-serif;fill:#1d1d1f}
@media print{
body{margin:0;max-width:none;font-size:11px}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
tr,details,li{break-inside:avoid}
details>summary{list-style:none}
}
`;

// open the reasons a cell links to (clicked, or the page opened at #r-…)
// and every reason before printing, so paper and PDFs hold them all
const SCRIPT = `function openHash(){var e=document.getElementById(location.hash.slice(1));if(e&&e.tagName==='DETAILS'){e.open=true;e.scrollIntoView({block:'nearest'});}}
addEventListener('hashchange',openHash);addEventListener('DOMContentLoaded',openHash);
addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});`;

export function page(title: string, body: string): string {
  const [head, tail] = pageEnds(title);
  return `${head}${body}${tail}`;
}

/** What page() puts before and after the body (a page written in pieces). */
export function pageEnds(title: string): [string, string] {
  return [
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="migcheck"><title>${esc(title)}</title>
<style>${CSS}</style><script>${SCRIPT}</script></head>
<body>
<h1>${esc(title)}</h1>
`,
    `
</body></html>
`,
  ];
}

export const legend = () =>
  `<p class="legend">${(['clean', 'unsafe', 'fail'] as Verdict[]).map((v) => `<span class="v-${v}">${WORKS[v]} = ${v}</span>`).join('')}</p>`;

/**
 * A verdict cell; with `target`, it links to the details holding its reasons (a link, so the
 * keyboard reaches and opens it); `shown` is text the cell also shows, beyond hover.
 */
export const verdictCell = (v: Verdict, title: string, target?: string, extra = '', shown = '') =>
  `<td class="cell v-${v}${extra}" data-verdict="${v}" title="${esc(title)}">${target ? `<a href="#${target}" aria-label="${esc(title)}">${WORKS[v]}</a>` : WORKS[v]}${shown ? `<div class="why">${shown}</div>` : ''}</td>`;

const BAR_COLORS: Record<Verdict, string> = { clean: '#66bb6a', unsafe: '#fdd835', fail: '#e57373' };

/**
 * Stacked bars of host pairs per verdict (inline SVG), one row each, all drawn to one scale
 * from one left edge: bars that hold the same tallies are the same bars.
 */
export function tallyBars(rows: readonly { label: string; tally: Tally }[], width = 480): string {
  const totals = rows.map(({ tally: t }) => t.clean + t.unsafe + t.fail);
  const scale = Math.max(0, ...totals);
  if (!scale) return '';
  const labelW = rows.some((r) => r.label) ? 70 : 0;
  const h = 18;
  const gap = 6;
  const body = rows.map(({ label, tally: t }, i) => {
    const y = i * (h + gap);
    let x = labelW;
    const rects = (['clean', 'unsafe', 'fail'] as Verdict[])
      .filter((v) => t[v] > 0)
      .map((v) => {
        const w = (t[v] / scale) * width;
        const r = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${h}" fill="${BAR_COLORS[v]}"><title>${esc(label ? `${label}: ` : '')}${v}: ${t[v]} host pairs</title></rect>`;
        x += w;
        return r;
      });
    return `<g data-row="${esc(label)}">${label ? `<text x="0" y="${y + 13}">${esc(label)}</text>` : ''}${rects.join('')}</g>`;
  });
  const height = rows.length * (h + gap) - gap;
  const aria = rows.map(({ label, tally: t }) => `${label ? `${label}: ` : ''}${t.clean} clean, ${t.unsafe} unsafe, ${t.fail} fail`).join('; ');
  return `<svg class="bars" role="img" aria-label="host pairs: ${esc(aria)}" width="${labelW + width}" height="${height}" viewBox="0 0 ${labelW + width} ${height}">${body.join('')}</svg>`;
}

/** A stacked bar of host pairs per verdict (inline SVG). */
export const tallyBar = (t: Tally, width = 480) => tallyBars([{ label: '', tally: t }], width);
