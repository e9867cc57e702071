// Renderers for the verdict matrix: a compact grid with a legend and the reasons per
// cell (text, markdown), every cell with its deciding findings (json), and a coloured
// grid whose cells show their reasons on hover and open them on click (html).
import type { Cell } from '../fleet/cell.js';
import { groupLabel, type HostGroup } from '../fleet/groups.js';
import { tallyText, type MatrixGrid, type MatrixReport } from '../fleet/matrix.js';
import { findingJson, hostSummary, mdCell, reasonText, reasonsText } from './reasons.js';
import { esc, legend, pageEnds, tallyBar, verdictCell } from './html.js';
import { jsonChunks, Streamed, type Rendered } from './json-chunks.js';
import { SHORT_WORKS as SHORT, WORKS, paint, verdictColor, type Style } from './style.js';

export const LEGEND = 'Y = clean (YES), Y* = unsafe (YES*: migrates, the guest sees an ABI change), N = fail (NO: the restore is refused)';

/**
 * With --with-targets a group's count includes hosts as they will be after their upgrade,
 * so the groups add up to more hosts than the fleet has: the report carries the real count.
 */
export interface HostCount {
  /** machines, each once */
  readonly hosts: number;
  /** of them, those also counted as upgraded */
  readonly upgraded: number;
}
export type Counted<T> = T & { readonly hostCount?: HostCount };

const groupTotal = (groups: readonly HostGroup[]) => groups.reduce((n, g) => n + g.count, 0);
const hostsPart = (r: Counted<{ groups: readonly HostGroup[] }>) =>
  r.hostCount ? `${r.hostCount.hosts} hosts (${r.hostCount.upgraded} to be upgraded: the counts below hold them both as they are and upgraded)` : `${groupTotal(r.groups)} hosts`;
export const matrixTitle = (r: Counted<Pick<MatrixReport, 'fleet' | 'groups'>>) =>
  `${r.fleet ? `Fleet ${r.fleet}: ` : ''}${hostsPart(r)}, ${r.groups.length} distinct host profile${r.groups.length === 1 ? '' : 's'}`;
export const hostCountJson = (r: Counted<unknown>) => (r.hostCount ? { hostCount: r.hostCount } : {});

// cells of a fleet share their Reason objects (src/fleet/cell.ts): each is worded once
const reasonTexts = new WeakMap<Cell['reasons'][number], string>();

/**
 * Non-clean cells that share a reason are listed together: "1->2, 1->3". `cells` holds at most
 * `max` of them (reports show the first few), `count` all.
 */
export function reasonIndex(cells: readonly (readonly Cell[])[], max = Infinity): { verdict: Cell['verdict']; text: string; cells: string[]; count: number }[] {
  type Entry = { verdict: Cell['verdict']; text: string; cells: string[]; count: number };
  const idx = new Map<string, Entry>();
  const byReason = new Map<Cell['reasons'][number], Entry>();
  const entryOf = (r: Cell['reasons'][number], verdict: Cell['verdict']): Entry => {
    let e = byReason.get(r);
    if (!e) {
      let text = reasonTexts.get(r);
      if (text === undefined) reasonTexts.set(r, (text = reasonText(r)));
      const key = `${verdict}\0${text}`;
      e = idx.get(key);
      if (!e) idx.set(key, (e = { verdict, text, cells: [], count: 0 }));
      // a Reason object comes from one judgement, so from one verdict
      if (e.verdict === verdict) byReason.set(r, e);
    }
    if (e.verdict !== verdict) {
      const key = `${verdict}\0${e.text}`;
      e = idx.get(key) ?? { verdict, text: e.text, cells: [], count: 0 };
      idx.set(key, e);
    }
    return e;
  };
  // fleet cells share their reason arrays (src/fleet/cell.ts): each array's entries are found once
  const byArray = new Map<Cell['reasons'], { verdict: Cell['verdict']; entries: Entry[] }>();
  cells.forEach((row, i) =>
    row.forEach((a, j) => {
      const rs = a.reasons;
      if (!rs.length) return;
      let known = byArray.get(rs);
      if (!known || known.verdict !== a.verdict) byArray.set(rs, (known = { verdict: a.verdict, entries: rs.map((r) => entryOf(r, a.verdict)) }));
      for (const e of known.entries) if (e.count++ < max) e.cells.push(`${i + 1}->${j + 1}`);
    }),
  );
  return [...idx.values()];
}

/**
 * reasonIndex(g.cells, max), read from the grid's deciding entries (gridReasonCells): the
 * same entries, in the same order, without asking each cell for its reasons. Reasons of one
 * rule whose texts agree (subjects beyond the first few differ) are one entry, as there.
 */
export function gridReasonIndex(g: MatrixGrid, max = Infinity): ReturnType<typeof reasonIndex> {
  const n = g.size;
  const idx = new Map<string, { verdict: Cell['verdict']; text: string; at: number[]; count: number }>();
  for (const e of g.reasonCells(max)) {
    let text = reasonTexts.get(e.reason);
    if (text === undefined) reasonTexts.set(e.reason, (text = reasonText(e.reason)));
    const key = `${e.verdict}\0${text}`;
    const seen = idx.get(key);
    if (!seen) idx.set(key, { verdict: e.verdict, text, at: e.cells, count: e.count });
    else {
      // a pair meets at most one of them (one list per rule), so the cells merge without repeats
      seen.at = [...seen.at, ...e.cells].sort((a, b) => a - b).slice(0, max);
      seen.count += e.count;
    }
  }
  return [...idx.values()].map(({ verdict, text, at, count }) => ({ verdict, text, count, cells: at.map((c) => `${Math.floor(c / n) + 1}->${(c % n) + 1}`) }));
}

const CELLS_SHOWN = 12;
const cellList = (e: { cells: readonly string[]; count: number }) => (e.count > CELLS_SHOWN ? `${e.cells.slice(0, CELLS_SHOWN).join(', ')} +${e.count - CELLS_SHOWN} more` : e.cells.join(', '));

export function hostLines(groups: readonly HostGroup[]): string[] {
  const w = String(groups.length).length;
  return groups.map((g) => `  ${String(g.id).padStart(w)}  ${groupLabel(g)} (${g.count} host${g.count === 1 ? '' : 's'}): ${hostSummary(g.rep)}`);
}

/** The grid of verdicts, verdictAt(i, j) for group i -> group j. */
export function gridText(groups: readonly HostGroup[], verdictAt: (i: number, j: number) => Cell['verdict'], style: Style): string[] {
  const w = Math.max(2, String(groups.length).length) + 1;
  const head = `${'from\\to'.padEnd(8)}${groups.map((g) => String(g.id).padStart(w)).join('')}`;
  // a fleet grid has 10^4–10^5 cells and three ways to print one
  const shown: Record<Cell['verdict'], string> = { clean: '', unsafe: '', fail: '' };
  for (const v of ['clean', 'unsafe', 'fail'] as const) shown[v] = paint(style, verdictColor(v), SHORT[v].padStart(w));
  const rows = groups.map((_, i) => {
    let line = `${String(i + 1).padStart(7)} `;
    for (let j = 0; j < groups.length; j++) line += shown[verdictAt(i, j)];
    return line;
  });
  return [head, ...rows];
}

function gridBlock(r: MatrixReport, g: MatrixGrid, style: Style): string {
  const why = gridReasonIndex(g, CELLS_SHOWN).map((e) => `  ${paint(style, verdictColor(e.verdict), SHORT[e.verdict].padEnd(2))}  ${cellList(e)}: ${e.text}`);
  return [
    `guest ${g.guest.name}: host pairs ${tallyText(g.hostPairs)}`,
    ...gridText(r.groups, g.verdict, style),
    ...(why.length ? ['why (cells that are not clean):', ...why] : ['every migration is clean']),
  ].join('\n');
}

export function matrixText(r: Counted<MatrixReport>, style: Style): string {
  return `${matrixTitle(r)}\n${hostLines(r.groups).join('\n')}\n${LEGEND}\n\n${r.grids.map((g) => gridBlock(r, g, style)).join('\n\n')}\n`;
}

export const groupJson = (g: HostGroup) => ({
  id: g.id,
  hosts: g.hosts.map((h) => h.name),
  count: g.count,
  kernel: g.rep.kernel.name,
  vmm: g.rep.vmm.name,
  cpu: `${g.rep.cpu.model ?? 'unknown'} ${g.rep.cpu.revision}`,
});

/** Each cell with its deciding findings, worded as it is reached. */
export function* cellItems(cells: readonly (readonly Cell[])[]) {
  for (let i = 0; i < cells.length; i++) {
    const row = cells[i]!;
    for (let j = 0; j < row.length; j++) {
      const a = row[j]!;
      yield { from: i + 1, to: j + 1, verdict: a.verdict, ...(a.verdict === 'clean' ? {} : { findings: a.decisive().map(findingJson) }) };
    }
  }
}

export function* withNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield '\n';
}

/**
 * The matrix as JSON, in pieces: each cell's findings are worded as its piece is written (200
 * profiles are 40,000 cells and ~375 MB of findings: as one string, several GB of heap, and
 * near V8's longest string).
 */
export function matrixJson(r: Counted<MatrixReport>): Rendered {
  return withNewline(
    jsonChunks({
      ...(r.fleet ? { fleet: r.fleet } : {}),
      ...hostCountJson(r),
      hosts: r.groups.map(groupJson),
      grids: r.grids.map((g) => ({ guest: g.guest.name, hostPairs: g.hostPairs, cells: new Streamed(() => cellItems(g.cells)) })),
    }),
  );
}

export function gridMarkdown(groups: readonly HostGroup[], cells: readonly (readonly Cell[])[]): string[] {
  return [
    `| from \\ to | ${groups.map((g) => g.id).join(' | ')} |`,
    `|---|${groups.map(() => '---').join('|')}|`,
    ...cells.map((row, i) => `| **${i + 1}** | ${row.map((a) => WORKS[a.verdict]).join(' | ')} |`),
  ];
}

export function hostsMarkdown(groups: readonly HostGroup[]): string[] {
  return ['| # | hosts | count | kernel, VMM, CPU |', '|---|---|---|---|', ...groups.map((g) => `| ${g.id} | ${mdCell(groupLabel(g, 8))} | ${g.count} | ${mdCell(hostSummary(g.rep))} |`)];
}

export function matrixMarkdown(r: Counted<MatrixReport>): string {
  const out = [`# ${mdCell(matrixTitle(r))}`, '', ...hostsMarkdown(r.groups), '', `${LEGEND}.`];
  for (const g of r.grids) {
    const why = gridReasonIndex(g, CELLS_SHOWN).map((e) => `- **${WORKS[e.verdict]}** ${cellList(e)}: ${mdCell(e.text)}`);
    out.push('', `## guest ${mdCell(g.guest.name)}`, '', `Host pairs: ${tallyText(g.hostPairs)}.`, '', ...gridMarkdown(r.groups, g.cells), '', ...(why.length ? why : ['Every migration is clean.']));
  }
  return `${out.join('\n')}\n`;
}

/**
 * A grid whose cells show their reasons on hover and open them below on click, in pieces: a row
 * or a cell's findings each, worded as they are written. Each piece
 * begins and ends with markup (ASCII), so escaping them one by one (src/cli/context.ts) gives
 * what escaping the whole would.
 */
export function* gridHtmlPieces(groups: readonly HostGroup[], cells: readonly (readonly Cell[])[], prefix: string): Generator<string> {
  const head = `<caption>from (rows) → to (columns)</caption><tr><th scope="col">from \\ to</th>${groups.map((g) => `<th scope="col" title="${esc(groupLabel(g, 8))}">${g.id}</th>`).join('')}</tr>`;
  yield `<p class="muted">Click a cell, or Tab to it and press Enter, for its reasons.</p><table class="grid">${head}`;
  for (let i = 0; i < cells.length; i++)
    yield `<tr><th scope="row" title="${esc(groupLabel(groups[i]!, 8))}">${i + 1}</th>${cells[i]!
      .map((a, j) => verdictCell(a.verdict, `${i + 1} -> ${j + 1}: ${a.verdict}${a.verdict === 'clean' ? '' : ` — ${reasonsText(a)}`}`, a.verdict === 'clean' ? undefined : `${prefix}-${i + 1}-${j + 1}`))
      .join('')}</tr>`;
  yield '</table>\n';
  let any = false;
  for (let i = 0; i < cells.length; i++)
    for (let j = 0; j < cells[i]!.length; j++) {
      const a = cells[i]![j]!;
      if (a.verdict === 'clean') continue;
      yield `${any ? '\n' : '<h3>Why</h3>\n'}<details id="${prefix}-${i + 1}-${j + 1}" class="reason"><summary><span class="v-${a.verdict}">${WORKS[a.verdict]}</span> ${i + 1} → ${j + 1}: ${esc(a.source)} → ${esc(a.destination)}</summary><ul>${a
        .decisive()
        .map((f) => `<li><code>${esc(f.rule)}</code> <b>${esc(f.subject)}</b>: ${esc(f.message)} <span class="muted">(${esc(f.reference)})</span></li>`)
        .join('')}</ul></details>`;
      any = true;
    }
  if (!any) yield '<p>Every migration is clean.</p>';
}

export function hostsHtml(groups: readonly HostGroup[]): string {
  return `<table class="hosts"><caption>Host groups (identical hosts), numbered as in the grids</caption><tr><th scope="col">#</th><th scope="col">hosts</th><th scope="col">count</th><th scope="col">kernel, VMM, CPU</th></tr>${groups
    .map((g) => `<tr><td>${g.id}</td><td>${esc(groupLabel(g, 8))}</td><td>${g.count}</td><td>${esc(hostSummary(g.rep))}</td></tr>`)
    .join('')}</table>`;
}

/** The matrix page, in pieces (as matrixJson, for fleets of hundreds of profiles). */
export function* matrixHtml(r: Counted<MatrixReport>): Generator<string> {
  const [head, tail] = pageEnds(matrixTitle(r));
  yield `${head}${hostsHtml(r.groups)}\n${legend()}\n`;
  for (let n = 0; n < r.grids.length; n++) {
    const g = r.grids[n]!;
    yield `${n ? '\n' : ''}<section class="matrix" data-guest="${esc(g.guest.name)}"><h2>Guest ${esc(g.guest.name)}</h2><p>Host pairs: ${tallyText(g.hostPairs)} ${tallyBar(g.hostPairs)}</p>`;
    yield* gridHtmlPieces(r.groups, g.cells, `r${n + 1}`);
    yield '</section>';
  }
  yield tail;
}
