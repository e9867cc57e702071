// The HTML page every report renders into: one self-contained file (inline CSS, inline
// SVG, a few lines of script to open a cell's reasons), no network access.
import type { Verdict } from '../model.js';
import type { Tally } from '../fleet/matrix.js';
import { WORKS } from './style.js';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d1d1f;max-width:1400px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}
th,td{border:1px solid #c8c8c8;padding:.25em .5em;text-align:left;vertical-align:top}
table.grid td.cell{text-align:center;min-width:3.2em;font-weight:600}
td.cell a{color:inherit;text-decoration:none;display:block}
.v-clean{background:#c8e6c9;color:#1b5e20}.v-unsafe{background:#fff3c4;color:#7a5a00}.v-fail{background:#ffcdd2;color:#8e0000}
.legend span{display:inline-block;padding:.1em .6em;margin-right:.6em;border-radius:3px}
details{margin:.2em 0}details[open]{background:#f6f6f6}summary{cursor:pointer}
.fence{outline:3px solid #1565c0;outline-offset:-3px}.free{box-shadow:inset 0 -4px 0 #90caf9}
.muted{color:#666}code{font-size:.95em}
`;

// open the reasons a cell links to (clicked, or the page opened at #r-…)
const SCRIPT = `function openHash(){var e=document.getElementById(location.hash.slice(1));if(e&&e.tagName==='DETAILS'){e.open=true;e.scrollIntoView({block:'nearest'});}}
addEventListener('hashchange',openHash);addEventListener('DOMContentLoaded',openHash);`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="migcheck"><title>${esc(title)}</title>
<style>${CSS}</style><script>${SCRIPT}</script></head>
<body>
<h1>${esc(title)}</h1>
${body}
</body></html>
`;
}

export const legend = () =>
  `<p class="legend">${(['clean', 'unsafe', 'fail'] as Verdict[]).map((v) => `<span class="v-${v}">${WORKS[v]} = ${v}</span>`).join('')}</p>`;

/** A verdict cell; with `target`, it links to the details holding its reasons. */
export const verdictCell = (v: Verdict, title: string, target?: string, extra = '') =>
  `<td class="cell v-${v}${extra}" data-verdict="${v}" title="${esc(title)}">${target ? `<a href="#${target}">${WORKS[v]}</a>` : WORKS[v]}</td>`;

/** A stacked bar of host pairs per verdict (inline SVG). */
export function tallyBar(t: Tally, width = 480): string {
  const total = t.clean + t.unsafe + t.fail;
  if (!total) return '';
  let x = 0;
  const colors: Record<Verdict, string> = { clean: '#66bb6a', unsafe: '#fdd835', fail: '#e57373' };
  const rects = (['clean', 'unsafe', 'fail'] as Verdict[])
    .filter((v) => t[v] > 0)
    .map((v) => {
      const w = (t[v] / total) * width;
      const r = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="18" fill="${colors[v]}"><title>${v}: ${t[v]} host pairs</title></rect>`;
      x += w;
      return r;
    });
  return `<svg role="img" aria-label="host pairs: ${t.clean} clean, ${t.unsafe} unsafe, ${t.fail} fail" width="${width}" height="18" viewBox="0 0 ${width} 18">${rects.join('')}</svg>`;
}
