// Renderers for `pools`: the pools largest first with their hosts, which pool can drain
// into which, and the reasons that keep two pools apart (text, markdown, json, html); and
// the scheduler's own inputs: kubectl node labels and OpenStack Placement traits.
import type { ApartSide, GroupedReason, HostPool, PoolMember, PoolSet, PoolsReport, Separation } from '../fleet/pools.js';
import { hostSummary, list, mdCell, reasonText } from './reasons.js';
import { esc, page } from './html.js';
import { SHORT_WORKS, WORKS, paint, verdictColor, type Style } from './style.js';
import type { Printable } from './format.js';

// 4,800 as toLocaleString('en') writes it, without loading ICU's number formatting for it
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const hostsWord = (n: number) => `${thousands(n)} host${n === 1 ? '' : 's'}`;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** "pool 3" or, for hosts that are each a pool by themselves, "pools 4–123" */
const poolName = (p: HostPool) => (p.alone && p.count > 1 ? `pools ${p.id}–${p.id + p.count - 1}` : `pool ${p.id}`);
const poolCount = (s: PoolSet) => s.pools.reduce((n, p) => n + (p.alone ? p.count : 1), 0);
const byId = (s: PoolSet, id: number) => s.pools.find((p) => p.id === id)!;

function poolsTitle(r: PoolsReport): string {
  return `Pools for fleet ${r.fleet}: ${hostsWord(r.hosts)}, ${plural(r.profiles, 'distinct host profile')}, ${plural(poolCount(r), 'pool')} for guest${r.guests.length === 1 ? '' : 's'} ${r.guests.map((g) => g.name).join(', ')}`;
}

const PROMISE = 'every ordered pair of hosts inside a pool migrates cleanly for every guest named; largest pools first';
const searchNote = (s: PoolSet) => (s.exact ? 'the pools are the largest possible, each in turn' : 'the search ran out of budget: later pools are greedy (each still clean inside)');

/** "altra-6.6 ×120 (altra-001, altra-002, altra-003 +117 more)" */
function memberText(m: PoolMember, max = 3): string {
  const named = m.nodes.length ? list(m.nodes, max) : '';
  const unnamed = m.unnamed ? `${m.unnamed} unnamed` : '';
  return `${m.host.name} ×${m.count} (${[named, unnamed].filter(Boolean).join('; ')})`;
}

const members = (p: HostPool) => p.groups.flatMap((g) => g.members);

function poolHead(p: HostPool): string {
  if (p.alone) return `${poolName(p)}: one host each (${hostsWord(p.count)}): identical hosts do not migrate to each other cleanly`;
  return `${poolName(p)}: ${hostsWord(p.count)}`;
}

const reasonLine = (r: GroupedReason, guests: number) =>
  `${SHORT_WORKS[r.verdict]} ${reasonText(r)} (${hostsWord(r.hostPairs).replace(/hosts?$/, r.hostPairs === 1 ? 'host pair' : 'host pairs')}${r.guests.length < guests ? `; guest${r.guests.length === 1 ? '' : 's'} ${r.guests.join(', ')} only` : ''})`;

const drainLine = (s: PoolSet, d: PoolSet['drains'][number]) => `${poolName(byId(s, d.from))} -> ${poolName(byId(s, d.to))}${d.both ? ' (and back)' : ''}`;

/** "pool 1 -> pool 2:" or "…: clean (it drains)", and whether the reasons come from the heaviest profile pairs only */
function sideHead(from: string, to: string, x: ApartSide): string {
  if (!x.profilePairs) return `${from} -> ${to}: clean (it drains)`;
  return `${from} -> ${to}:${x.assessed < x.profilePairs ? ` (reasons from the ${x.assessed} heaviest of ${x.profilePairs} profile pairs)` : ''}`;
}

function separationLines(s: Separation, set: PoolSet, guests: number): string[] {
  const a = poolName(byId(set, s.a));
  const b = poolName(byId(set, s.b));
  return [`${a} and ${b}:`, `  ${sideHead(a, b, s.ab)}`, ...s.ab.reasons.map((r) => `    ${reasonLine(r, guests)}`), `  ${sideHead(b, a, s.ba)}`, ...s.ba.reasons.map((r) => `    ${reasonLine(r, guests)}`)];
}

/** Said when the reasons stop short of every pool pair. */
const apartNote = (s: PoolSet) => (s.apart > 0 && poolCount(s) > s.apart && s.pools.length > 1 ? `the reasons are given between the ${s.apart} largest pools (--apart N for more)` : '');

function setText(s: PoolSet, guests: number, style: Style): string[] {
  return [
    ...s.pools.flatMap((p) => [
      paint(style, p.alone ? 'yellow' : 'bold', poolHead(p)),
      ...members(p).map((m) => `  ${memberText(m)}: ${hostSummary(m.host)}`),
      ...(p.alone ? p.alone.map((r) => `  ${paint(style, verdictColor(r.verdict), reasonLine(r, guests))}`) : []),
    ]),
    ...(s.drains.length ? ['drains (every host pair clean one way; for upgrades):', ...s.drains.map((d) => `  ${drainLine(s, d)}`)] : ['drains: no pool can drain into another']),
    ...(s.separations.length ? ['why the pools are apart (host pairs each reason stands in the way of):', ...s.separations.flatMap((x) => separationLines(x, s, guests).map((l) => `  ${l}`))] : []),
    ...(apartNote(s) ? [`(${apartNote(s)})`] : []),
  ];
}

const waveHead = (w: NonNullable<PoolsReport['plan']>['waves'][number]) =>
  `after wave ${w.wave.index} (${hostsWord(w.wave.hosts)} ${w.wave.from.name} -> ${w.wave.to.name}): ${plural(poolCount(w.set), 'pool')}`;

export function poolsText(r: PoolsReport, style: Style): string {
  const g = r.guests.length;
  const waves = r.plan
    ? [
        '',
        `with the upgrade plan (guest ${r.plan.guest}): the pools after each wave`,
        ...r.plan.waves.flatMap((w) => ['', waveHead(w), ...w.set.pools.flatMap((p) => [poolHead(p), ...members(p).map((m) => `  ${memberText(m)}`)])]),
        ...(r.plan.blocked ? ['', 'the plan is blocked after its last wave (see migcheck plan)'] : []),
      ]
    : [];
  return `${[poolsTitle(r), `${PROMISE}; ${searchNote(r)}`, ...setText(r, g, style), ...waves].join('\n')}\n`;
}

const reasonJson = (r: GroupedReason) => ({ verdict: r.verdict, rule: r.rule, subjects: r.subjects, text: reasonText(r, Infinity), hostPairs: r.hostPairs, guests: r.guests });

const poolJson = (p: HostPool) => ({
  pool: p.id,
  count: p.count,
  ...(p.alone ? { alone: true, reasons: p.alone.map(reasonJson) } : {}),
  members: members(p).map((m) => ({ host: m.host.name, count: m.count, nodes: m.nodes, unnamed: m.unnamed, kernel: m.host.kernel.name, vmm: m.host.vmm.name, cpu: `${m.host.cpu.model ?? 'unknown'} ${m.host.cpu.revision}` })),
});

const sideJson = (x: ApartSide) => ({ clean: !x.profilePairs, profilePairs: x.profilePairs, assessed: x.assessed, reasons: x.reasons.map(reasonJson) });

const setJson = (s: PoolSet) => ({
  hosts: s.hosts,
  profiles: s.profiles,
  exact: s.exact,
  pools: s.pools.map(poolJson),
  drains: s.drains.map((d) => ({ from: d.from, to: d.to, both: d.both })),
  apart: s.apart,
  separations: s.separations.map((x) => ({ pools: [x.a, x.b], ab: sideJson(x.ab), ba: sideJson(x.ba) })),
});

export function poolsJson(r: PoolsReport): string {
  return `${JSON.stringify({
    fleet: r.fleet,
    guests: r.guests.map((g) => g.name),
    ...setJson(r),
    ...(r.plan ? { plan: { guest: r.plan.guest, blocked: r.plan.blocked, waves: r.plan.waves.map((w) => ({ wave: w.wave.index, pool: w.wave.pool, upgraded: w.wave.hosts, from: w.wave.from.name, to: w.wave.to.name, ...setJson(w.set) })) } } : {}),
  })}\n`;
}

function setMarkdown(s: PoolSet, guests: number): string[] {
  return [
    '| pool | hosts | members | kernel, VMM, CPU |',
    '|---|---|---|---|',
    ...s.pools.flatMap((p) => members(p).map((m, i) => `| ${i ? '' : mdCell(poolName(p))} | ${i ? '' : p.alone ? `${p.count} (one each)` : p.count} | ${mdCell(memberText(m, 8))} | ${mdCell(hostSummary(m.host))} |`)),
    '',
    ...s.pools.flatMap((p) => (p.alone ? [`${mdCell(poolHead(p))}:`, '', ...p.alone.map((r) => `- ${mdCell(reasonLine(r, guests))}`), ''] : [])),
    ...(s.drains.length ? ['Drains (every host pair clean one way; for upgrades):', '', ...s.drains.map((d) => `- ${mdCell(drainLine(s, d))}`)] : ['No pool can drain into another.']),
  ];
}

export function poolsMarkdown(r: PoolsReport): string {
  const g = r.guests.length;
  const out = [`# ${mdCell(poolsTitle(r))}`, '', `${mdCell(PROMISE)}; ${mdCell(searchNote(r))}.`, '', ...setMarkdown(r, g)];
  if (r.separations.length) {
    out.push('', '## Why the pools are apart');
    for (const x of r.separations) {
      const [head, ...rest] = separationLines(x, r, g);
      out.push('', `**${mdCell(head!)}**`, '', ...rest.map((l) => (l.startsWith('    ') ? `  - ${mdCell(l.trim())}` : `- ${mdCell(l.trim())}`)));
    }
    if (apartNote(r)) out.push('', `(${mdCell(apartNote(r))})`);
  }
  if (r.plan) {
    out.push('', `## The pools after each wave of the upgrade plan (guest ${mdCell(r.plan.guest)})`);
    for (const w of r.plan.waves) out.push('', `### ${mdCell(waveHead(w))}`, '', ...setMarkdown(w.set, g));
    if (r.plan.blocked) out.push('', 'The plan is blocked after its last wave (see `migcheck plan`).');
  }
  return `${out.join('\n')}\n`;
}

const reasonsHtml = (rs: readonly GroupedReason[], guests: number) =>
  `<ul>${rs.map((r) => `<li class="reason-line"><span class="v-${r.verdict}">${WORKS[r.verdict]}</span> ${esc(reasonLine(r, guests).replace(/^\S+ /, ''))}</li>`).join('')}</ul>`;

function setHtml(s: PoolSet, guests: number, prefix: string): string {
  const rows = s.pools.map(
    (p) =>
      `<tr class="pool${p.alone ? ' alone' : ''}" id="${prefix}pool-${p.id}" data-pool="${p.id}" data-hosts="${p.count}"><th scope="row">${esc(poolName(p))}</th><td>${p.alone ? `${p.count} (one each)` : p.count}</td><td>${members(p)
        .map((m) => `<details class="members"><summary>${esc(memberText(m))}</summary><p class="muted">${esc(hostSummary(m.host))}</p><p class="nodes">${esc([...m.nodes, ...(m.unnamed ? [`${m.unnamed} unnamed`] : [])].join(', '))}</p></details>`)
        .join('')}${p.alone ? reasonsHtml(p.alone, guests) : ''}</td></tr>`,
  );
  const drains = s.drains.length ? `<ul class="drains">${s.drains.map((d) => `<li>${esc(drainLine(s, d))}</li>`).join('')}</ul>` : '<p>No pool can drain into another.</p>';
  const seps = s.separations.map((x) => {
    const a = poolName(byId(s, x.a));
    const b = poolName(byId(s, x.b));
    const side = (from: string, to: string, x: ApartSide) =>
      `<h4>${esc(`${from} → ${to}`)}</h4>${x.profilePairs ? `${x.assessed < x.profilePairs ? `<p class="muted">${esc(`reasons from the ${x.assessed} heaviest of ${x.profilePairs} profile pairs`)}</p>` : ''}${reasonsHtml(x.reasons, guests)}` : '<p class="v-clean">clean: it drains</p>'}`;
    return `<details class="separation" id="${prefix}apart-${x.a}-${x.b}"><summary>${esc(`${a} and ${b}`)}</summary>${side(a, b, x.ab)}${side(b, a, x.ba)}</details>`;
  });
  return `<table class="pools"><caption>Pools, largest first</caption><tr><th scope="col">pool</th><th scope="col">hosts</th><th scope="col">members (open for the node names)</th></tr>${rows.join('')}</table>
<h3>Drains (every host pair clean one way; for upgrades)</h3>${drains}
${seps.length ? `<h3>Why the pools are apart</h3>\n${seps.join('\n')}` : ''}${apartNote(s) ? `<p class="muted">${esc(apartNote(s))}.</p>` : ''}`;
}

export function poolsHtml(r: PoolsReport): string {
  const g = r.guests.length;
  const waves = r.plan
    ? `<h2>The pools after each wave of the upgrade plan (guest ${esc(r.plan.guest)})</h2>${r.plan.waves.map((w) => `<section class="wave" data-wave="${w.wave.index}"><h3>${esc(waveHead(w))}</h3>${setHtml(w.set, g, `w${w.wave.index}-`)}</section>`).join('\n')}${r.plan.blocked ? '<p class="v-fail">The plan is blocked after its last wave (see migcheck plan).</p>' : ''}`
    : '';
  return page(poolsTitle(r), `<p>${esc(PROMISE)}; ${esc(searchNote(r))}.</p>\n<section class="now">${setHtml(r, g, '')}</section>\n${waves}`);
}

// ---- scheduler inputs ----

/** The Kubernetes label key the pools are written under. */
const LABEL_KEY = 'migcheck.dev/pool';
const traitName = (id: number) => `CUSTOM_MIGCHECK_POOL_${id}`;

/** Every named host of a set and its pool id: pools in order, nodes sorted (parallel arrays, 100,000 of them). */
interface NodePools {
  readonly nodes: string[];
  readonly ids: number[];
}

/**
 * Each named member's nodes with the pool id of its first node: a pool's members share its id;
 * in an alone block each host is its own pool, ids counted in member and name order (a member's
 * nodes are id, id + 1, …, then its unnamed hosts). nodePools, the lines and the trait ids all
 * read the set through this one walk.
 */
function eachMember(s: PoolSet, visit: (nodes: readonly string[], id: number, alone: boolean) => void): void {
  for (const p of s.pools) {
    let id = p.id;
    for (const g of p.groups)
      for (const m of g.members) {
        visit(m.nodes, p.alone ? id : p.id, Boolean(p.alone));
        if (p.alone) id += m.nodes.length + m.unnamed;
      }
  }
}

function nodePools(s: PoolSet): NodePools {
  const nodes: string[] = [];
  const ids: number[] = [];
  eachMember(s, (ns, id, alone) => {
    for (let k = 0; k < ns.length; k++) nodes.push(ns[k]!), ids.push(alone ? id + k : id);
  });
  return { nodes, ids };
}

/** The ids nodePools(s) gives, into `out`, without listing the nodes (a pool's members share its id). */
function namedIds(s: PoolSet, out: Set<number>): void {
  eachMember(s, (ns, id, alone) => {
    if (!alone) {
      if (ns.length) out.add(id);
    } else for (let k = 0; k < ns.length; k++) out.add(id + k);
  });
}

/** After a wave, only the nodes whose pool changed need a new label. */
function changed(before: NodePools, after: NodePools): NodePools {
  const was = new Map<string, number>();
  for (let k = 0; k < before.nodes.length; k++) was.set(before.nodes[k]!, before.ids[k]!);
  const out: NodePools = { nodes: [], ids: [] };
  for (let k = 0; k < after.nodes.length; k++)
    if (was.get(after.nodes[k]!) !== after.ids[k]) out.nodes.push(after.nodes[k]!), out.ids.push(after.ids[k]!);
  return out;
}

/** A node's line: `head`, the node's name, then `tail(id)` (each format's line has the name once). */
interface NodeLine {
  readonly head: string;
  readonly tail: (id: number) => string;
}

/**
 * nodePools(s) written as lines, in its order. A pool's members (all but an alone block's) share
 * one id and so one tail: a member's lines are one join over its sorted nodes, with no string
 * per node (100,000 of them) before the join. test/property/pools-render.test.ts holds it to a
 * line per nodePools entry.
 */
function setLines(s: PoolSet, line: NodeLine, out: string[]): void {
  const { head, tail } = line;
  eachMember(s, (nodes, id, alone) => {
    if (!alone) {
      if (nodes.length) {
        const t = tail(id);
        out.push(head + nodes.join(`${t}\n${head}`) + t);
      }
    } else for (let k = 0; k < nodes.length; k++) out.push(head + nodes[k]! + tail(id + k));
  });
}

/**
 * The lines, already printable: `printable` (what the command's output would go through) is
 * applied to every line that may carry profile text (fleet, guest and host names), not to the
 * node lines (megabytes at 100,000 nodes). A node line is ours but for the node's name, and a
 * node name matches the Fleet schema's pattern, letters, digits, '.', '_' and '-' (for kubectl
 * also DNS-1123, checked before rendering): nothing printableText would change
 * (test/property/pools-render.test.ts). Each part ends at a line break, where no escape starts or ends.
 */
function byWave(r: PoolsReport, line: NodeLine, head: string[], printable: (s: string) => string): Printable {
  const out = [printable([...head, `# pools now (${PROMISE}):`].join('\n'))];
  setLines(r, line, out);
  const waves = r.plan?.waves ?? [];
  let before = waves.length ? nodePools(r) : undefined;
  for (const w of waves) {
    const after = nodePools(w.set);
    const moved = changed(before!, after);
    const n = moved.nodes.length;
    out.push('', printable(`# after wave ${w.wave.index} of the plan (${w.wave.hosts} ${w.wave.from.name} -> ${w.wave.to.name}), once its hosts are upgraded: ${n ? `${n} node${n === 1 ? '' : 's'} change pool` : 'no node changes pool'}`));
    for (let k = 0; k < moved.nodes.length; k++) out.push(line.head + moved.nodes[k]! + line.tail(moved.ids[k]!));
    before = after;
  }
  // the final line break from the join itself: `${joined}\n` is a rope, which the write copies
  // flat again (6 MB at 100,000 nodes) before encoding it
  out.push('');
  return { printable: out.join('\n') };
}

/** kubectl label lines, printable (see byWave): `printable` is the escaping the output would get. */
export function poolsKubernetes(r: PoolsReport, printable: (s: string) => string): Printable {
  return byWave(r, { head: 'kubectl label node ', tail: (id) => ` ${LABEL_KEY}=${id} --overwrite` }, [
    `# migcheck pools for fleet ${r.fleet} (guests ${r.guests.map((g) => g.name).join(', ')}): ${plural(poolCount(r), 'pool')}`,
    `# keep a VirtualMachine's live migrations inside one pool: spec.template.spec.nodeSelector: {${LABEL_KEY}: "ID"}`,
  ], printable);
}

/** Placement trait lines, printable (see byWave): `printable` is the escaping the output would get. */
export function poolsOpenstack(r: PoolsReport, printable: (s: string) => string): Printable {
  const named = new Set<number>();
  for (const s of [r, ...(r.plan?.waves.map((w) => w.set) ?? [])]) namedIds(s, named);
  const ids = [...named].sort((a, b) => a - b);
  const line: NodeLine = {
    head: 'rp=$(openstack resource provider list --name ',
    tail: (id) =>
      ` -f value -c uuid) && openstack --os-placement-api-version 1.6 resource provider trait set $(openstack --os-placement-api-version 1.6 resource provider trait list -f value -c name "$rp" | grep -v '^CUSTOM_MIGCHECK_POOL_' | sed 's/^/--trait /') --trait ${traitName(id)} "$rp"`,
  };
  return byWave(r, line, [
    `# migcheck pools for fleet ${r.fleet} (guests ${r.guests.map((g) => g.name).join(', ')}): ${plural(poolCount(r), 'pool')}, one Placement trait each`,
    '# `resource provider trait set` replaces all of a provider\'s traits: each line below sets the',
    "# provider's current traits again (less an old CUSTOM_MIGCHECK_POOL_*) together with its pool's trait.",
    ...ids.map((id) => `openstack --os-placement-api-version 1.6 trait create ${traitName(id)}`),
    '# a flavor whose guests stay in pool ID (its live migrations too): the extra spec',
    ...ids.map((id) => `#   openstack flavor set --property trait:${traitName(id)}=required FLAVOR`),
  ], printable);
}
