// Renderers for `fence`: the (kernel, VMM) grid with each kernel step's forward and
// rollback verdicts, every step that breaks and why, and the fence itself.
import type { Assessment } from '../model.js';
import type { Combo, FenceReport, Step } from '../fleet/fence.js';
import { mdCell, reasonsText, worksWhy } from './reasons.js';
import { esc, legend, page, verdictCell } from './html.js';
import { SHORT_WORKS as SHORT, WORKS, paint, verdictColor, type Style } from './style.js';

const comboName = (c: Combo) => `${c.kernel} + ${c.vmm}`;
const why = (a: Assessment) => worksWhy(a, ': ', '');

export const fenceTitle = (r: FenceReport) => `ABI fence on ${r.cpu} (guest ${r.guest.name}): ${r.kernels.length} kernels × ${r.vmms.length} VMMs`;

/** The kernel step that arrives at (k, v), if any. */
const stepInto = (r: FenceReport, k: number, v: number) => (k === 0 ? undefined : r.steps.find((s) => s.axis === 'kernel' && s.to === r.combos[k]![v]));

export const breaking = (r: FenceReport) => r.steps.filter((s) => s.forward.verdict !== 'clean' || s.rollback.verdict !== 'clean');

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

const fenceLines = (r: FenceReport) => [
  machineLine(r),
  ...r.fence.map((c) => `fence: ${comboName(c)}: from here every later combination (kernel and VMM at least these) migrates freely in both directions`),
  ...r.breaks.map((b) => `not earlier at ${comboName(b.at)}: ${b.assessment.source} -> ${b.assessment.destination} ${why(b.assessment)}`),
];

export function fenceText(r: FenceReport, style: Style): string {
  const kw = Math.max(...r.kernels.map((k) => k.length)) + 2;
  const cw = Math.max(15, ...r.vmms.map((v) => v.length + 2));
  const head = `${''.padEnd(kw)}${r.vmms.map((v) => v.padEnd(cw)).join('')}`;
  const rows = r.combos.map((row, k) => {
    const cells = row.map((c, v) => {
      const s = stepInto(r, k, v);
      const text = `${s ? `${SHORT[s.forward.verdict]}/${SHORT[s.rollback.verdict]}` : '-'}${isFence(r, c) ? ' [fence]' : r.free[k]![v] ? ' =' : ''}`;
      const painted = s ? paint(style, verdictColor(s.rollback.verdict), text) : text;
      return painted + ' '.repeat(Math.max(1, cw - text.length));
    });
    return `${r.kernels[k]!.padEnd(kw)}${cells.join('').trimEnd()}`;
  });
  const breaks = breaking(r).flatMap(stepLines);
  return [
    fenceTitle(r),
    'each cell: upgrading to this kernel from the one above, on the same VMM: forward/rollback (Y clean, Y* unsafe, N fail); [fence] = the fence, = past it',
    head.trimEnd(),
    ...rows,
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
      fence: r.fence.map((c) => ({ kernel: c.kernel, vmm: c.vmm })),
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
      return `${s ? `${WORKS[s.forward.verdict]} / ${WORKS[s.rollback.verdict]}` : '–'}${isFence(r, c) ? ' **fence**' : r.free[k]![v] ? ' (free)' : ''}`;
    });
    return `| ${r.kernels[k]} | ${cells.join(' | ')} |`;
  });
  return [
    `# ${mdCell(fenceTitle(r))}`,
    '',
    'Each cell: upgrading to this kernel from the one above on the same VMM, forward / rollback.',
    '',
    `| kernel | ${r.vmms.join(' | ')} |`,
    `|---|${r.vmms.map(() => '---').join('|')}|`,
    ...rows,
    '',
    '## Steps that do not migrate cleanly both ways',
    '',
    ...breaking(r).map((s) => `- ${stepLines(s).map((l) => mdCell(l.trim())).join('; ')}`),
    '',
    '## Fence',
    '',
    ...fenceLines(r).map((l) => `- ${mdCell(l)}`),
    '',
  ].join('\n');
}

export function fenceHtml(r: FenceReport): string {
  const rows = r.combos.map((row, k) => {
    const cells = row.map((c, v) => {
      const s = stepInto(r, k, v);
      const cls = isFence(r, c) ? ' fence' : r.free[k]![v] ? ' free' : '';
      if (!s) return `<td class="cell${cls}" data-verdict="none" title="${esc(comboName(c))}: first kernel">–${isFence(r, c) ? ' fence' : ''}</td>`;
      const title = `${comboName(c)}: forward ${why(s.forward)}; rollback ${why(s.rollback)}`;
      return verdictCell(s.rollback.verdict, title, s.rollback.verdict === 'clean' && s.forward.verdict === 'clean' ? undefined : `f-${k}-${v}`, cls).replace(/>(<a [^>]*>)?(YES\*?|NO)/, (_m, a: string | undefined, w: string) => `>${a ?? ''}→ ${WORKS[s.forward.verdict]} ← ${w}`);
    });
    return `<tr><th>${esc(r.kernels[k]!)}</th>${cells.join('')}</tr>`;
  });
  const details = r.combos.flatMap((row, k) =>
    row.flatMap((_, v) => {
      const s = stepInto(r, k, v);
      if (!s || (s.rollback.verdict === 'clean' && s.forward.verdict === 'clean')) return [];
      return [`<details id="f-${k}-${v}"><summary>${esc(stepLines(s)[0]!)}</summary><ul>${stepLines(s).slice(1).map((l) => `<li>${esc(l.trim())}</li>`).join('')}</ul></details>`];
    }),
  );
  return page(
    fenceTitle(r),
    `<p>Each cell: upgrading to this kernel from the one above on the same VMM, → forward and ← rollback; colour = rollback. The outlined cell is the fence; underlined cells are past it.</p>${legend()}
<table class="grid fence-grid"><tr><th>kernel</th>${r.vmms.map((v) => `<th>${esc(v)}</th>`).join('')}</tr>${rows.join('')}</table>
<h2>Fence</h2><ul>${fenceLines(r).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<h2>Steps that do not migrate cleanly both ways</h2>${details.join('\n')}
<ul>${breaking(r).filter((s) => s.axis === 'vmm').map((s) => `<li>${esc(stepLines(s).join(' '))}</li>`).join('')}</ul>`,
  );
}
