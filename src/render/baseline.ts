// Renderers for `baseline`: the settings chosen and what each is worth, the Guest
// profile to save, what still blocks, and the grid under the baseline.
import type { BaselineReport, Choice } from '../fleet/baseline.js';
import { tallyText } from '../fleet/matrix.js';
import { hex32 } from '../kb/cpus.js';
import { guestDoc, guestYaml } from './guest-doc.js';
import { cellItems, gridHtmlPieces, gridMarkdown, gridText, groupJson, hostLines, hostsHtml, hostsMarkdown, LEGEND, matrixTitle, reasonIndex, hostCountJson, withNewline, type Counted } from './matrix.js';
import { jsonChunks, Streamed, type Rendered } from './json-chunks.js';
import { esc, legend, pageEnds, tallyBars } from './html.js';
import { WORKS, paint, verdictColor, type Style } from './style.js';
import { mdCell } from './reasons.js';
import { mdFence } from './markdown.js';

const title = (r: Counted<BaselineReport>) => `Baseline guest: ${matrixTitle(r)}`;

export function settingValue(r: BaselineReport, c: Choice): string {
  const g = r.guest;
  switch (c.field) {
    case 'psciVersion':
      return g.psciVersion ? `PSCI pinned to ${g.psciVersion}` : 'PSCI left at each host default';
    case 'hypercallBitmaps':
      return g.hypercallBitmaps ? `hypercall bitmaps ${Object.entries(g.hypercallBitmaps).map(([k, v]) => `${k}=[${v.join(', ')}]`).join(' ')}` : 'hypercall bitmaps left at the kernel reset values';
    case 'stolenTime':
      return `stolen time ${g.stolenTime === 'auto' ? 'auto (the VMM default)' : g.stolenTime ? 'on' : 'off'}`;
    case 'targetCpus':
      return g.targetCpus ? `target CPUs ${g.targetCpus.map((t) => hex32(t.midr)).join(', ')}` : 'no target CPU list';
    case 'machineType':
      return g.machineType
        ? `machine type pinned to ${g.machineType} (the newest every host registers: guests defined with it move to older and newer QEMUs alike; host pairs failing on the machine type: ${r.machineTypeFails?.start ?? 0} -> ${r.machineTypeFails?.chosen ?? 0})`
        : 'machine type left to the QEMU each guest is defined on';
    case 'cpu':
      return g.cpu ? vcpuText(g.cpu) : 'vCPU features left at each host default';
  }
}

// what turning a vCPU feature off costs the guest
const COST: Record<string, string> = {
  pauth: 'pauth=off (QEMU -cpu host,pauth=off): the guest loses pointer authentication (return-address signing, PAC)',
  sve: 'sve=off (QEMU -cpu host,sve=off): the guest loses SVE; vector code falls back to Advanced SIMD',
  pmu: 'pmu=off: the guest loses its performance counters',
};
const vcpuText = (c: NonNullable<BaselineReport['guest']['cpu']>) => {
  const parts: string[] = (['pauth', 'sve', 'pmu'] as const).filter((f) => c[f] === false).map((f) => COST[f]!);
  const l = c.sveVectorLengths;
  if (l?.length)
    parts.push(`sveVectorLengths=${l.join(',')} (QEMU -cpu host,${l.map((n) => `sve${n}=on`).join(',')}): the guest's SVE vectors are at most ${Math.max(...l)} bits, also on hosts that offer longer ones`);
  return `vCPU ${parts.join('; ') || 'features left at each host default'}`;
};

const summary = (r: BaselineReport) =>
  `searched ${r.searched} guest configurations (${r.method}); host pairs without the baseline: ${tallyText(r.before)}; with it: ${tallyText(r.after)}`;

const choiceLine = (r: BaselineReport, c: Choice) => `${settingValue(r, c)} (without it: ${tallyText(c.without)})`;

export function baselineText(r: Counted<BaselineReport>, style: Style): string {
  const why = reasonIndex(r.cells).map((e) => `  ${paint(style, verdictColor(e.verdict), WORKS[e.verdict].padEnd(4))}  ${e.cells.join(', ')}: ${e.text}`);
  return [
    title(r),
    ...hostLines(r.groups),
    summary(r),
    'settings:',
    ...(r.choices.length ? r.choices.map((c) => `  ${choiceLine(r, c)}`) : [`  none: guest ${r.base.name} is already the best configuration found`]),
    `guest profile (save it and pass --guest FILE):`,
    ...guestYaml(r.guest).trimEnd().split('\n').map((l) => `  ${l}`),
    ...(why.length ? ['still not clean under the baseline:', ...why] : ['every migration is clean under the baseline']),
    LEGEND,
    ...gridText(r.groups, (i, j) => r.cells[i]![j]!.verdict, style),
  ].join('\n') + '\n';
}

/** In pieces, as matrixJson: a fleet's cells under the baseline are worded as they are written. */
export function baselineJson(r: Counted<BaselineReport>): Rendered {
  const doc = {
    ...(r.fleet ? { fleet: r.fleet } : {}),
    ...hostCountJson(r),
    hosts: r.groups.map(groupJson),
    method: r.method,
    searched: r.searched,
    hostPairs: { before: r.before, after: r.after },
    settings: r.choices.map((c) => ({ field: c.field, value: guestDoc(r.guest)[c.field] ?? null, without: c.without })),
    guest: guestDoc(r.guest),
    cells: new Streamed(() => cellItems(r.cells)),
  };
  return withNewline(jsonChunks(doc, 2));
}

export function baselineMarkdown(r: Counted<BaselineReport>): string {
  const why = reasonIndex(r.cells).map((e) => `- **${WORKS[e.verdict]}** ${e.cells.join(', ')}: ${mdCell(e.text)}`);
  return [
    `# ${mdCell(title(r))}`,
    '',
    ...hostsMarkdown(r.groups),
    '',
    `${summary(r)}.`,
    '',
    '## Settings',
    '',
    ...(r.choices.length ? r.choices.map((c) => `- ${mdCell(choiceLine(r, c))}`) : [`- none: guest ${mdCell(r.base.name)} is already the best configuration found`]),
    '',
    '## Guest profile',
    '',
    mdFence(guestYaml(r.guest).trimEnd(), 'yaml'),
    '',
    '## Still not clean',
    '',
    ...(why.length ? why : ['Every migration is clean under the baseline.']),
    '',
    ...gridMarkdown(r.groups, r.cells),
    '',
  ].join('\n');
}

/** In pieces, as matrixHtml. */
export function* baselineHtml(r: Counted<BaselineReport>): Generator<string> {
  const [head, tail] = pageEnds(title(r));
  yield `${head}${hostsHtml(r.groups)}
<p>${esc(summary(r))}</p><figure class="tallies">${tallyBars([{ label: 'without', tally: r.before }, { label: 'with', tally: r.after }])}<figcaption>host pairs without and with the baseline, to one scale</figcaption></figure>
<h2>Settings</h2><ul>${r.choices.length ? r.choices.map((c) => `<li>${esc(choiceLine(r, c))}</li>`).join('') : `<li>none: guest ${esc(r.base.name)} is already the best configuration found</li>`}</ul>
<h2>Guest profile</h2><pre>${esc(guestYaml(r.guest))}</pre>
<h2>Under the baseline</h2>${legend()}`;
  yield* gridHtmlPieces(r.groups, r.cells, 'b');
  yield tail;
}
