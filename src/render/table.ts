// Renderers for table reports: ASCII like the 2018 kvmarm mails, JSON, Markdown.
import Table from 'cli-table3';
import type { TableReport } from '../reports/table.js';
import { paint, verdictColor, type Style } from './style.js';

const ASCII = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+',
  right: '|', 'right-mid': '+', middle: '|',
};

export function tableText(reports: readonly TableReport[], style: Style): string {
  return reports
    .map((r) => {
      const t = new Table({ chars: ASCII, style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 }, colWidths: [18, 11, 7, 40], wordWrap: true });
      t.push([{ colSpan: 4, content: r.title }]);
      t.push(['migration', 'userspace change', 'works', 'notes']);
      for (const row of r.rows)
        t.push([row.migration, row.userspaceChange ? 'YES' : 'NO', paint(style, verdictColor(row.verdict), row.works), row.notes.join('; ')]);
      const legend = `old = ${r.old}, new = ${r.new}${r.compat ? `, compat = ${r.new} running guest ${r.compat}` : ''}`;
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
    findings: row.findings.map(({ rule, severity, subject, message, reference }) => ({ rule, severity, subject, message, reference })),
  })),
});

/** One --new: SPEC §4's {"rows": [...]}; several: {"tables": [...]}. */
export function tableJson(reports: readonly TableReport[]): string {
  const body = reports.length === 1 ? json(reports[0]!) : { tables: reports.map(json) };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function tableMarkdown(reports: readonly TableReport[]): string {
  return reports
    .map((r) =>
      [
        `### ${r.title}`,
        '',
        '| migration | userspace change | works | notes |',
        '|---|---|---|---|',
        ...r.rows.map((row) => `| ${row.migration} | ${row.userspaceChange ? 'YES' : 'NO'} | ${row.works} | ${row.notes.join('; ').replace(/\|/g, '\\|')} |`),
        '',
      ].join('\n'),
    )
    .join('\n');
}
