// Renderers for `fence`: the (kernel, VMM) grid with each kernel step's forward and
// rollback verdicts, every step that breaks and why, and the fence itself.
import type { Assessment } from '../model.js';
import type { Combo, FenceReport, Step } from '../fleet/fence.js';
import { mdCell, reasonsText, worksWhy } from './reasons.js';
import { esc, legend, page, verdictCell } from './html.js';
import { SHORT_WORKS as SHORT, WORKS, paint, verdictColor, type Style } from './style.js';
import { wrapWords } from './wrap.js';

const comboName = (c: Combo) => `${c.kernel} + ${c.vmm}`;
const why = (a: Assessment) => worksWhy(a, ': ', '');

const fenceTitle = (r: FenceReport) => `ABI fence on ${r.cpu} (guest ${r.guest.name}): ${r.kernels.length} kernels × ${r.vmms.length} VMMs`;

/** The kernel step that arrives at (k, v), if any. */
const stepInto = (r: FenceReport, k: number, v: number) => (k === 0 ? undefined : r.steps.find((s) => s.axis === 'kernel' && s.to === r.combos[k]![v]));

const breaking = (r: FenceReport) => r.steps.filter((s) => s.forward.verdict !== 'clean' || s.rollback.verdict !== 'clean');

const isFence = (r: FenceReport, c: Combo) => r.fence.includes(c);

export function stepLines(s: Step): string[] {
  const head = s.axis === 'kernel' ? `${s.from.kernel} -> ${s.to.kernel} on ${s.from.vmm}` : `${s.from.vmm} -> ${s.to.vmm} on ${s.from.kernel}`;
  return [head, ...(s.forward.verdict !== 'clean' ? [`  forward ${why(s.forward)}`] : []), ...(s.rollback.verdict !== 'clean' ? [`  rollback ${why(s.rollback)}`] : [])];
}

const machineLine = (r: FenceReport) =>
  r.machineType.pinned
    ? `machine type: ${r.machineType.type}, the newest every VMM here registers (the guest gives none; a guest defined on a newer QEMU has that QEMU's type and cannot step back)`
    : r.machineType.type
      ? `machine type: ${r.machineType.type}`
      : "machine type: each source QEMU's newest (the guest gives none and no type is registered by every VMM here)";

/**
 * A fence at the last kernel of the range is free only because nothing later was checked:
 * the range ends there, which proves nothing about the next release.
 */
const atRangeEnd = (r: FenceReport, c: Combo) => c.kernel === r.kernels.at(-1) && r.kernels.length > 1;

const fenceLines = (r: FenceReport) => [
  machineLine(r),
  ...r.fence.map((c) =>
    atRangeEnd(r, c)
      ? `end of range: ${comboName(c)}: free only because ${c.kernel} is the last kernel checked, not a proven fence; give --kernels a later release to see whether it holds`
      : `fence: ${comboName(c)}: from here every later combination (kernel and VMM at least these) migrates freely in both directions`,
  ),
  ...r.breaks.map((b) => `not earlier at ${comboName(b.at)}: ${b.assessment.source} -> ${b.assessment.destination} ${why(b.assessment)}`),
];

/**
 * Steps that break, each reason said once: the same kernel step with the same verdicts and
 * reasons on several VMMs (or VMM step on several kernels) is one entry naming them all.
 */
function groupedSteps(r: FenceReport): { head: string; lines: string[]; steps: Step[] }[] {
  const groups = new Map<string, { step: string; on: string[]; lines: string[]; steps: Step[] }>();
  for (const s of breaking(r)) {
    const [, ...lines] = stepLines(s);
    const step = s.axis === 'kernel' ? `${s.from.kernel} -> ${s.to.kernel}` : `${s.from.vmm} -> ${s.to.vmm}`;
    const key = `${s.axis}\0${step}\0${lines.join('\n')}`;
    const g = groups.get(key) ?? { step, on: [], lines, steps: [] };
    g.on.push(s.axis === 'kernel' ? s.from.vmm : s.from.kernel);
    g.steps.push(s);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ head: `${g.step} on ${g.on.join(', ')}`, lines: g.lines, steps: g.steps }));
}

/** The marks a cell can carry, said in words (the end mark only when the grid uses it). */
function legendText(r: FenceReport): string[] {
  const marks = ['[fence] from here on every later kernel and VMM migrates freely both ways', '= past the fence'];
  if (r.fence.some((c) => atRangeEnd(r, c))) marks.push('[end] free only because the kernel range ends here, not a proven fence');
  return ['each cell: forward/rollback of the upgrade from the kernel above to this one, on the same VMM: Y clean, Y* unsafe, N fail', `marks: ${marks.join('; ')}`];
}

const mark = (r: FenceReport, k: number, v: number) => {
  const c = r.combos[k]![v]!;
  return isFence(r, c) ? (atRangeEnd(r, c) ? ' [end]' : ' [fence]') : r.free[k]![v] ? ' =' : '';
};

/**
 * The grid folds to the terminal: as many VMM columns as fit in `width`, the rest in
 * further blocks below (the full kernel × QEMU grid would be a 330-column line).
 */
export function fenceText(r: FenceReport, style: Style, width = 80): string {
  const kw = Math.max(...r.kernels.map((k) => k.length)) + 2;
  const text = r.combos.map((row, k) =>
    row.map((_, v) => {
      const s = stepInto(r, k, v);
      return `${s ? `${SHORT[s.forward.verdict]}/${SHORT[s.rollback.verdict]}` : '-'}${mark(r, k, v)}`;
    }),
  );
  const cw = Math.max(...r.vmms.map((v) => v.length + 2), ...text.flat().map((t) => t.length + 2));
  const per = Math.max(1, Math.floor((width - kw) / cw));
  const blocks: string[] = [];
  for (let from = 0; from < r.vmms.length; from += per) {
    const cols = r.vmms.slice(from, from + per).map((_, i) => from + i);
    if (r.vmms.length > per) blocks.push(`VMMs ${from + 1}-${cols.at(-1)! + 1} of ${r.vmms.length}:`);
    blocks.push(`${''.padEnd(kw)}${cols.map((v) => r.vmms[v]!.padEnd(cw)).join('')}`.trimEnd());
    for (let k = 0; k < r.kernels.length; k++) {
      const cells = cols.map((v) => {
        const s = stepInto(r, k, v);
        const t = text[k]![v]!;
        return (s ? paint(style, verdictColor(s.rollback.verdict), t) : t) + ' '.repeat(cw - t.length);
      });
      blocks.push(`${r.kernels[k]!.padEnd(kw)}${cells.join('')}`.trimEnd());
    }
  }
  const breaks = groupedSteps(r).flatMap((g) => [g.head, ...g.lines]);
  return [
    ...[fenceTitle(r), ...legendText(r)].flatMap((l) => wrapWords(l, width, '  ')),
    ...blocks,
    ...(breaks.length ? ['steps that do not migrate cleanly both ways:', ...breaks.map((l) => `  ${l}`)] : ['every step migrates cleanly both ways']),
    ...fenceLines(r),
  ].join('\n') + '\n';
}

const assessmentJson = (a: Assessment) => ({ verdict: a.verdict, ...(a.verdict === 'clean' ? {} : { reasons: reasonsText(a) }) });

export function fenceJson(r: FenceReport): string {
  return `${JSON.stringify(
    {
      cpu: r.cpu,
      guest: r.guest.name,
      machineType: { type: r.machineType.type ?? null, pinned: r.machineType.pinned },
      kernels: r.kernels,
      vmms: r.vmms,
      free: r.combos.flatMap((row, k) => row.map((c, v) => ({ kernel: c.kernel, vmm: c.vmm, free: r.free[k]![v]! }))),
      steps: r.steps.map((s) => ({ axis: s.axis, from: { kernel: s.from.kernel, vmm: s.from.vmm }, to: { kernel: s.to.kernel, vmm: s.to.vmm }, forward: assessmentJson(s.forward), rollback: assessmentJson(s.rollback) })),
      fence: r.fence.map((c) => ({ kernel: c.kernel, vmm: c.vmm, endOfRange: atRangeEnd(r, c) })),
      breaks: r.breaks.map((b) => ({ at: { kernel: b.at.kernel, vmm: b.at.vmm }, source: b.assessment.source, destination: b.assessment.destination, ...assessmentJson(b.assessment) })),
    },
    null,
    2,
  )}\n`;
}

export function fenceMarkdown(r: FenceReport): string {
  const rows = r.combos.map((row, k) => {
    const cells = row.map((c, v) => {
      const s = stepInto(r, k, v);
      return `${s ? `${WORKS[s.forward.verdict]} / ${WORKS[s.rollback.verdict]}` : '–'}${isFence(r, c) ? (atRangeEnd(r, c) ? ' **end of range**' : ' **fence**') : r.free[k]![v] ? ' (free)' : ''}`;
    });
    return `| ${r.kernels[k]} | ${cells.join(' | ')} |`;
  });
  return [
    `# ${mdCell(fenceTitle(r))}`,
    '',
    'Each cell: forward / rollback of the upgrade from the kernel above to this one, on the same VMM. **fence**: from here every later kernel and VMM migrates freely both ways; (free): past the fence; **end of range**: free only because the kernel range ends here, not a proven fence.',
    '',
    `| kernel | ${r.vmms.join(' | ')} |`,
    `|---|${r.vmms.map(() => '---').join('|')}|`,
    ...rows,
    '',
    '## Steps that do not migrate cleanly both ways',
    '',
    ...groupedSteps(r).map((g) => `- ${[g.head, ...g.lines].map((l) => mdCell(l.trim())).join('; ')}`),
    '',
    '## Fence',
    '',
    ...fenceLines(r).map((l) => `- ${mdCell(l)}`),
    '',
  ].join('\n');
}

export function fenceHtml(r: FenceReport): string {
  // a kernel step that breaks alike on several VMMs has one entry; each of its cells opens it
  const groups = groupedSteps(r);
  const cellOf = (st: Step) => `f-${r.kernels.indexOf(st.to.kernel)}-${r.vmms.indexOf(st.to.vmm)}`;
  const entry = new Map<Step, string>();
  for (const g of groups) if (g.steps[0]!.axis === 'kernel') for (const st of g.steps) entry.set(st, cellOf(g.steps[0]!));
  const rows = r.combos.map((row, k) => {
    const cells = row.map((c, v) => {
      const s = stepInto(r, k, v);
      const end = isFence(r, c) && atRangeEnd(r, c);
      const cls = isFence(r, c) ? (end ? ' fence end-of-range' : ' fence') : r.free[k]![v] ? ' free' : '';
      const markText = isFence(r, c) ? (end ? 'end of range' : 'fence') : '';
      if (!s) return `<td class="cell${cls}" data-verdict="none" title="${esc(comboName(c))}: first kernel">–${markText ? `<span class="mark">${markText}</span>` : ''}</td>`;
      const title = `${comboName(c)}: forward ${why(s.forward)}; rollback ${why(s.rollback)}${end ? '; free only because the kernel range ends here' : ''}`;
      return verdictCell(s.rollback.verdict, title, entry.get(s), cls, markText ? `<span class="mark">${markText}</span>` : '').replace(/>(<a [^>]*>)?(YES\*?|NO)/, (_m, a: string | undefined, w: string) => `>${a ?? ''}→ ${WORKS[s.forward.verdict]} ← ${w}`);
    });
    return `<tr><th scope="row">${esc(r.kernels[k]!)}</th>${cells.join('')}</tr>`;
  });
  const details = groups
    .filter((g) => g.steps[0]!.axis === 'kernel')
    .map((g) => `<details id="${cellOf(g.steps[0]!)}"><summary>${esc(g.head)}</summary><ul>${g.lines.map((l) => `<li>${esc(l.trim())}</li>`).join('')}</ul></details>`);
  return page(
    fenceTitle(r),
    `<p>Each cell: the upgrade from the kernel above to this one on the same VMM, → forward and ← rollback; colour = rollback. A cell marked <b>fence</b> (outlined): from it on every later kernel and VMM migrates freely both ways; underlined cells are past it; <b>end of range</b> (dashed): free only because no later kernel was checked, not a proven fence.</p>${legend()}
<p class="muted">Click a cell, or Tab to it and press Enter, for its reasons.</p><table class="grid fence-grid"><caption>kernels (rows) × VMMs (columns)</caption><tr><th scope="col">kernel</th>${r.vmms.map((v) => `<th scope="col">${esc(v)}</th>`).join('')}</tr>${rows.join('')}</table>
<h2>Fence</h2><ul>${fenceLines(r).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<h2>Steps that do not migrate cleanly both ways</h2>${details.join('\n')}
<ul>${groups.filter((g) => g.steps[0]!.axis === 'vmm').map((g) => `<li>${esc([g.head, ...g.lines].join(' '))}</li>`).join('')}</ul>`,
  );
}
