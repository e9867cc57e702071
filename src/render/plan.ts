// Renderers for `plan`: the guest configuration to run, each wave (what drains where,
// whether guests may move onto the upgraded hosts, whether it can be rolled back live),
// the point of no return, and whether the fleet's own guest configurations can follow.
import type { Assessment, HostModel } from '../model.js';
import type { PlanReport, Wave } from '../fleet/plan.js';
import { guestYaml } from './guest-doc.js';
import { hostSummary, mdCell, reasonsText, worksWhy } from './reasons.js';
import { mdFence } from './markdown.js';
import { esc, page, verdictCell } from './html.js';
import { WORKS, paint, verdictColor, type Style } from './style.js';

const hostsWord = (n: number) => `${n} host${n === 1 ? '' : 's'}`;

// a plan shows the same assessment (one object per pair) in many waves and formats: worded once
const worded = new WeakMap<Assessment, string>();
const verdictWhy = (a: Assessment) => {
  let s = worded.get(a);
  if (s === undefined) worded.set(a, (s = worksWhy(a)));
  return s;
};
const name = (h: HostModel) => h.name;

const planTitle = (r: PlanReport) => {
  const total = r.pools.reduce((n, p) => n + (p.target ? p.count : 0), 0);
  return `Upgrade plan for fleet ${r.fleet}: ${hostsWord(total)} to upgrade in ${r.waves.length} wave${r.waves.length === 1 ? '' : 's'}${r.blocked ? ' (blocked)' : ''}`;
};

interface WaveLines {
  readonly head: string;
  readonly destinations: string;
  readonly onto: string;
  readonly rollback: string;
}

/**
 * Where a verdict with reasons was first given, so later waves refer to it instead of
 * repeating a line of several hundred characters: one per rendering.
 */
class SaidOnce {
  private readonly first = new Map<string, number>();
  /** the full verdict the first time, then "NO, as in wave N" */
  say(wave: number, a: Assessment): string {
    if (a.verdict === 'clean') return verdictWhy(a);
    const key = `${a.source}\0${a.destination}\0${verdictWhy(a)}`;
    const at = this.first.get(key);
    if (at === undefined) {
      this.first.set(key, wave);
      return verdictWhy(a);
    }
    return `${WORKS[a.verdict]}, as in wave ${at}`;
  }
  /** the wave that first gave this verdict's reasons, when it was not this one */
  before(wave: number, a: Assessment): number | undefined {
    const at = this.first.get(`${a.source}\0${a.destination}\0${verdictWhy(a)}`);
    return at !== undefined && at !== wave ? at : undefined;
  }
}

/** One wave in words, shared by every format; `said` shortens what an earlier wave said. */
function waveLines(w: Wave, said = new SaidOnce()): WaveLines {
  return {
    head: `wave ${w.index}: drain and upgrade ${hostsWord(w.hosts)} of pool ${w.pool}, ${name(w.from)} -> ${name(w.to)}`,
    destinations: `guests migrate cleanly to ${w.destinations.map((d) => `${d.side === 'target' ? 'upgraded ' : ''}${name(d.host)} (pool ${d.pool}, ${hostsWord(d.hosts)})`).join(', ')}`,
    onto: `afterwards guests may move onto the upgraded hosts: ${name(w.from)} -> ${name(w.to)} ${said.say(w.index, w.onto)}`,
    rollback: w.rollback.live
      ? `rollback: live (${name(w.to)} -> ${name(w.from)} is clean)`
      : `rollback: needs a cold boot of the guests that ran on the upgraded hosts: ${name(w.to)} -> ${name(w.from)} ${said.say(w.index, w.rollback.back)}`,
  };
}

/**
 * Guests defined on the upgraded hosts without the plan's machine type: a fact of the
 * QEMU upgrade, not of one wave, so said once after the waves, then the rollback each
 * pool's first such wave would face.
 */
const newGuestsHead = (r: PlanReport) => {
  const w = r.waves[r.newGuestsNoReturn! - 1]!;
  return `QEMU rollback: after wave ${w.index}, guests defined on its upgraded hosts without machineType: ${r.guest.machineType} carry ${w.to.vmm.machineTypes.newest} and cannot go back to ${w.from.vmm.name}; define new guests with the pinned type until the upgrade is accepted`;
};
const newGuestsWaves = (r: PlanReport) => r.waves.flatMap((w) => (w.rollback.definedOnTarget ? [{ wave: w.index, why: `${name(w.to)} -> ${name(w.from)} ${verdictWhy(w.rollback.definedOnTarget)}` }] : []));

const noReturn = (r: PlanReport) =>
  r.pointOfNoReturn
    ? `point of no return: after wave ${r.pointOfNoReturn}, once guests run on its upgraded hosts, rolling back needs a cold boot of those guests; keep guests off the upgraded hosts until the upgrade is accepted to keep rollback live`
    : r.waves.length
      ? 'every wave can be rolled back live'
      : 'nothing to upgrade';

function blockedLines(r: PlanReport): string[] {
  const b = r.blocked;
  if (!b) return [];
  const pool = r.pools[b.pool - 1]!;
  return [
    `blocked: ${hostsWord(b.remaining)} of pool ${b.pool} (${name(pool.current)}) cannot be drained at headroom ${r.headroom}:`,
    ...b.options.map((o) => `  -> ${o.side === 'target' ? 'upgraded ' : ''}${name(o.host)} (pool ${o.pool}, ${hostsWord(o.hosts)}): ${verdictWhy(o.assessment)}`),
  ];
}

const followLine = (f: PlanReport['fleetGuests'][number]) =>
  f.stopsAt
    ? `guest ${f.guest.name}: cannot follow from wave ${f.stopsAt.wave}: ${f.stopsAt.assessment.source} -> ${f.stopsAt.assessment.destination} ${verdictWhy(f.stopsAt.assessment)}; restart it with the plan's configuration before then`
    : `guest ${f.guest.name}: follows every wave`;

const poolLine = (r: PlanReport, i: number) => {
  const p = r.pools[i]!;
  return `pool ${p.id}: ${hostsWord(p.count)} ${name(p.current)} (${hostSummary(p.current)})${p.target ? ` -> ${name(p.target)} (${hostSummary(p.target)})` : ', not upgraded'}`;
};

export function planText(r: PlanReport, style: Style): string {
  const said = new SaidOnce();
  const waves = r.waves.flatMap((w) => {
    const l = waveLines(w, said);
    return [l.head, `  ${l.destinations}`, `  ${l.onto}`, `  ${paint(style, w.rollback.live ? 'green' : 'yellow', l.rollback)}`];
  });
  return [
    planTitle(r),
    ...r.pools.map((_, i) => poolLine(r, i)),
    `headroom: each running host takes in the guests of ${r.headroom} of a host`,
    `guest configuration during the upgrade (${r.guest.name}):`,
    ...guestYaml(r.guest).trimEnd().split('\n').map((l) => `  ${l}`),
    ...waves,
    ...blockedLines(r).map((l) => paint(style, verdictColor('fail'), l)),
    noReturn(r),
    ...(r.newGuestsNoReturn ? [newGuestsHead(r), ...newGuestsWaves(r).map((x) => `  ${paint(style, 'yellow', `wave ${x.wave}: ${x.why}`)}`)] : []),
    ...r.fleetGuests.map(followLine),
  ].join('\n') + '\n';
}

const assessmentJson = (a: Assessment) => ({ source: a.source, destination: a.destination, verdict: a.verdict, reasons: reasonsText(a) });

export function planJson(r: PlanReport): string {
  return `${JSON.stringify(
    {
      fleet: r.fleet,
      headroom: r.headroom,
      guest: r.guest.name,
      pools: r.pools.map((p) => ({ pool: p.id, count: p.count, current: p.current.name, ...(p.target ? { upgradeTo: p.target.name } : {}) })),
      waves: r.waves.map((w) => ({
        wave: w.index,
        pool: w.pool,
        hosts: w.hosts,
        from: w.from.name,
        to: w.to.name,
        destinations: w.destinations.map((d) => ({ pool: d.pool, side: d.side, host: d.host.name, hosts: d.hosts })),
        onto: assessmentJson(w.onto),
        rollback: { live: w.rollback.live, ...assessmentJson(w.rollback.back), ...(w.rollback.definedOnTarget ? { definedOnTarget: assessmentJson(w.rollback.definedOnTarget) } : {}) },
      })),
      ...(r.blocked ? { blocked: { pool: r.blocked.pool, remaining: r.blocked.remaining, options: r.blocked.options.map((o) => ({ pool: o.pool, side: o.side, hosts: o.hosts, ...assessmentJson(o.assessment) })) } } : {}),
      pointOfNoReturn: r.pointOfNoReturn ?? null,
      newGuestsNoReturn: r.newGuestsNoReturn ?? null,
      fleetGuests: r.fleetGuests.map((f) => ({ guest: f.guest.name, follows: !f.stopsAt, ...(f.stopsAt ? { stopsAt: f.stopsAt.wave, ...assessmentJson(f.stopsAt.assessment) } : {}) })),
    },
    null,
    2,
  )}\n`;
}

export function planMarkdown(r: PlanReport): string {
  const said = new SaidOnce();
  return [
    `# ${mdCell(planTitle(r))}`,
    '',
    ...r.pools.map((_, i) => `- ${mdCell(poolLine(r, i))}`),
    '',
    `Headroom: each running host takes in the guests of ${r.headroom} of a host.`,
    '',
    `## Guest configuration during the upgrade: ${mdCell(r.guest.name)}`,
    '',
    mdFence(guestYaml(r.guest).trimEnd(), 'yaml'),
    '',
    '## Waves',
    '',
    '| wave | upgrade | guests go to | onto upgraded | rollback |',
    '|---|---|---|---|---|',
    ...r.waves.map((w) => {
      const l = waveLines(w);
      return `| ${w.index} | ${w.hosts} × ${mdCell(`${name(w.from)} -> ${name(w.to)}`)} | ${mdCell(l.destinations.replace(/^guests migrate cleanly to /, ''))} | ${mdCell(said.say(w.index, w.onto))} | ${w.rollback.live ? 'live' : `cold boot: ${mdCell(said.say(w.index, w.rollback.back))}`} |`;
    }),
    '',
    ...blockedLines(r).map((l) => mdCell(l)),
    `**${noReturn(r)}**`,
    ...(r.newGuestsNoReturn ? ['', `**${mdCell(newGuestsHead(r))}**`, '', ...newGuestsWaves(r).map((x) => `- wave ${x.wave}: ${mdCell(x.why)}`)] : []),
    '',
    ...r.fleetGuests.map((f) => `- ${mdCell(followLine(f))}`),
    '',
  ].join('\n');
}

/** What a plan cell shows beyond its word: the reasons, or where an earlier wave gave them. */
function shownWhy(said: SaidOnce, w: Wave, a: Assessment, prefix: string): string {
  if (a.verdict === 'clean') return '';
  const at = said.before(w.index, a);
  if (at !== undefined) return `${esc(prefix)}as in <a href="#wave-${at}">wave ${at}</a>`;
  return esc(`${prefix}${a.source} -> ${a.destination}: ${reasonsText(a)}`);
}

export function planHtml(r: PlanReport): string {
  const said = new SaidOnce();
  const rows = r.waves.map((w) => {
    const l = waveLines(w, said);
    const onto = verdictCell(w.onto.verdict, l.onto, undefined, '', shownWhy(said, w, w.onto, ''));
    const shown = w.rollback.live ? 'live' : shownWhy(said, w, w.rollback.back, 'cold boot needed: ');
    const back = verdictCell(w.rollback.back.verdict, l.rollback, undefined, '', shown);
    return `<tr class="wave${r.pointOfNoReturn === w.index ? ' fence' : ''}" id="wave-${w.index}"><th scope="row">${w.index}</th><td>${w.hosts} × ${esc(name(w.from))} → ${esc(name(w.to))}</td><td>${esc(l.destinations.replace(/^guests migrate cleanly to /, ''))}</td>${onto}${back}</tr>`;
  });
  return page(
    planTitle(r),
    `<ul>${r.pools.map((_, i) => `<li>${esc(poolLine(r, i))}</li>`).join('')}</ul>
<p>Headroom: each running host takes in the guests of ${r.headroom} of a host.</p>
<h2>Guest configuration during the upgrade: ${esc(r.guest.name)}</h2><pre>${esc(guestYaml(r.guest))}</pre>
<h2>Waves</h2><table class="plan"><caption>waves in order (outlined: the point of no return)</caption><tr><th scope="col">wave</th><th scope="col">upgrade</th><th scope="col">guests go to</th><th scope="col">onto upgraded</th><th scope="col">rollback (upgraded → current)</th></tr>${rows.join('')}</table>
${blockedLines(r).length ? `<p class="v-fail">${blockedLines(r).map(esc).join('<br>')}</p>` : ''}
<p><b>${esc(noReturn(r))}</b></p>${r.newGuestsNoReturn ? `<p><b>${esc(newGuestsHead(r))}</b></p><ul>${newGuestsWaves(r).map((x) => `<li><a href="#wave-${x.wave}">wave ${x.wave}</a>: ${esc(x.why)}</li>`).join('')}</ul>` : ''}<ul>${r.fleetGuests.map((f) => `<li>${esc(followLine(f))}</li>`).join('')}</ul>`,
  );
}
