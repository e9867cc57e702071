// Renderers for table reports: ASCII like the 2018 kvmarm mails, JSON, Markdown.
import type TableLib from 'cli-table3';
import type { TableReport } from '../reports/table.js';
import { paint, verdictColor, type Style } from './style.js';
import { findingJson, mdCell } from './reasons.js';
import { oneLine } from '../profile/printable.js';
import { esc, legend, page, verdictCell } from './html.js';

const ASCII = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+',
  right: '|', 'right-mid': '+', middle: '|',
};

// cli-table3 (and string-width, its ANSI tables) loaded when a text table is first drawn: only
// `table`'s text output uses it, and every full-CLI command paid its load (~2.5-4 ms). A
// require() the bundle resolves (esbuild bundles it, called here on first use).
let tableLib: typeof TableLib | undefined;
const Table = () => (tableLib ??= require('cli-table3') as typeof TableLib);

/** the title is the new host's description: a folded YAML scalar ends in a line break */
const title = (r: TableReport) => r.title.replace(/\n+$/, '');

export function tableText(reports: readonly TableReport[], style: Style): string {
  return reports
    .map((r) => {
      const t = new (Table())({ chars: ASCII, style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 }, colWidths: [18, 11, 7, 40], wordWrap: true });
      // escaped before layout, so an escape sequence is measured as what it prints
      t.push([{ colSpan: 4, content: oneLine(title(r)) }]);
      t.push(['migration', 'userspace change', 'works', 'notes']);
      for (const row of r.rows)
        t.push([oneLine(row.migration), row.userspaceChange ? 'YES' : 'NO', paint(style, verdictColor(row.verdict), row.works), oneLine(row.notes.join('; '))]);
      const legend = oneLine(`old = ${r.old}, new = ${r.new}${r.compat ? `, compat = ${r.new} running guest ${r.compat}` : ''}`);
      return `${t.toString()}\n${legend}\n`;
    })
    .join('\n');
}

const json = (r: TableReport) => ({
  title: r.title,
  old: r.old,
  new: r.new,
  ...(r.compat ? { compat: r.compat } : {}),
  rows: r.rows.map((row) => ({
    migration: row.migration,
    userspaceChange: row.userspaceChange,
    works: row.works,
    verdict: row.verdict,
    notes: row.notes,
    findings: row.findings.map(findingJson),
  })),
});

/** One --new: the table report's {"rows": [...]}; several: {"tables": [...]}. */
export function tableJson(reports: readonly TableReport[]): string {
  const body = reports.length === 1 ? json(reports[0]!) : { tables: reports.map(json) };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function tableMarkdown(reports: readonly TableReport[]): string {
  return reports
    .map((r) =>
      [
        `### ${mdCell(title(r))}`,
        '',
        '| migration | userspace change | works | notes |',
        '|---|---|---|---|',
        ...r.rows.map((row) => `| ${mdCell(row.migration)} | ${row.userspaceChange ? 'YES' : 'NO'} | ${row.works} | ${mdCell(row.notes.join('; '))} |`),
        '',
      ].join('\n'),
    )
    .join('\n');
}

export function tableHtml(reports: readonly TableReport[]): string {
  const body = reports.map(
    (r) =>
      `<section><h2>${esc(r.title)}</h2><table><tr><th>migration</th><th>userspace change</th><th>works</th><th>notes</th></tr>${r.rows
        .map((row) => `<tr><td>${esc(row.migration)}</td><td>${row.userspaceChange ? 'YES' : 'NO'}</td>${verdictCell(row.verdict, row.notes.join('; '))}<td>${esc(row.notes.join('; '))}</td></tr>`)
        .join('')}</table><p class="muted">old = ${esc(r.old)}, new = ${esc(r.new)}${r.compat ? `, compat = ${esc(r.new)} running guest ${esc(r.compat)}` : ''}</p></section>`,
  );
  return page('migcheck table', `${legend()}\n${body.join('\n')}`);
}
