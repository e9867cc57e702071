// buildPlan (src/fleet/plan.ts) reads its destinations and the assessments it shows from one
// verdict grid per guest and keeps wave sums in Drain; written for speed, so it is held here to
// the plan computed plainly — every wave size summed afresh (waveSizeOf), every running host
// listed and filtered, every assessment judged alone (judgePair) — on random fleets (pools of
// knowledge-base hosts with and without targets, repeated entries, renamed copies), guests,
// fleet guests and headrooms: the same report in every format.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Assessment, FleetModel, GuestModel, HostModel } from '../../src/model.js';
import { buildPlan, poolsOf, type Blocked, type Destination, type GuestFollow, type PlanReport, type Pool, type Wave } from '../../src/fleet/plan.js';
import { waveSizeOf } from '../../src/fleet/drain.js';
import { judgedAssessment } from '../../src/fleet/cell.js';
import { judgePair } from '../../src/solver/assess.js';
import { planHtml, planJson, planMarkdown, planText } from '../../src/render/plan.js';
import { anyHost, guests, renamed } from './arbitrary-hosts.js';

function running(pools: readonly Pool[], upgraded: readonly number[]): Destination[] {
  return pools
    .flatMap((p, i) => [
      { pool: p.id, side: 'current' as const, host: p.current, hosts: p.count - upgraded[i]! },
      ...(p.target && upgraded[i]! > 0 ? [{ pool: p.id, side: 'target' as const, host: p.target, hosts: upgraded[i]! }] : []),
    ])
    .filter((d) => d.hosts > 0);
}

/** The plan as its definition reads, nothing kept between waves. */
function plainPlan(fleet: FleetModel, guest: GuestModel, headroom: number): PlanReport {
  const pools = poolsOf(fleet);
  const verdict = (a: HostModel, b: HostModel, g: GuestModel): Assessment => judgedAssessment(a, b, g, judgePair(a, b, g));
  const clean = (a: HostModel, b: HostModel, g: GuestModel) => judgePair(a, b, g).verdict === 'clean';
  const typeFails = (a: HostModel, b: HostModel, g: GuestModel) => judgePair(a, b, g).lists.some((l) => l.some((f) => f.rule === 'machine-type' && f.severity === 'fail'));
  const cleanFrom = (i: number, g: GuestModel) => (q: number, side: 0 | 1) => clean(pools[i]!.current, side ? pools[q]!.target! : pools[q]!.current, g);
  const { machineType: pinned, ...rest } = guest;
  const unpinned: GuestModel | undefined = pinned && pinned !== 'virt' ? rest : undefined;
  const upgraded = pools.map(() => 0);
  const waves: Wave[] = [];
  let blocked: Blocked | undefined;
  const todo = () => pools.reduce((n, p, i) => n + (p.target ? p.count - upgraded[i]! : 0), 0);
  while (todo() > 0) {
    let wave: Wave | undefined;
    for (const [i, p] of pools.entries()) {
      if (!p.target || upgraded[i] === p.count) continue;
      const k = waveSizeOf(i, pools, upgraded, headroom, cleanFrom(i, guest));
      if (k < 1) continue;
      const destinations = running(pools, upgraded)
        .filter((d) => clean(p.current, d.host, guest))
        .map((d) => (d.pool === p.id && d.side === 'current' ? { ...d, hosts: d.hosts - k } : d))
        .filter((d) => d.hosts > 0);
      const back = verdict(p.target, p.current, guest);
      const fresh = unpinned && verdict(p.target, p.current, unpinned);
      const said = waves.some((w) => w.pool === p.id && w.rollback.definedOnTarget);
      const definedOnTarget = fresh && typeFails(p.target, p.current, unpinned) && !typeFails(p.target, p.current, guest) && !said ? { definedOnTarget: fresh } : {};
      wave = { index: waves.length + 1, pool: p.id, hosts: k, from: p.current, to: p.target, destinations, onto: verdict(p.current, p.target, guest), rollback: { live: back.verdict === 'clean', back, ...definedOnTarget } };
      upgraded[i]! += k;
      break;
    }
    if (!wave) {
      const i = pools.findIndex((p, j) => p.target && upgraded[j]! < p.count);
      const p = pools[i]!;
      blocked = { pool: p.id, remaining: p.count - upgraded[i]!, options: running(pools, upgraded).map((d) => ({ ...d, assessment: verdict(p.current, d.host, guest) })) };
      break;
    }
    waves.push(wave);
  }
  const fleetGuests = fleet.guests.map((g): GuestFollow => {
    const up = pools.map(() => 0);
    for (const w of waves) {
      const i = w.pool - 1;
      if (waveSizeOf(i, pools, up, headroom, cleanFrom(i, g)) < w.hosts) {
        const main = [...w.destinations].sort((a, b) => b.hosts - a.hosts).map((d) => verdict(w.from, d.host, g)).find((a) => a.verdict !== 'clean');
        return { guest: g, stopsAt: { wave: w.index, assessment: main ?? verdict(w.from, w.from, g) } };
      }
      up[i]! += w.hosts;
    }
    return { guest: g };
  });
  const pointOfNoReturn = waves.find((w) => !w.rollback.live)?.index;
  const newGuestsNoReturn = waves.find((w) => w.rollback.definedOnTarget)?.index;
  return { fleet: fleet.name, guest, headroom, pools, waves, ...(blocked ? { blocked } : {}), ...(pointOfNoReturn ? { pointOfNoReturn } : {}), ...(newGuestsNoReturn ? { newGuestsNoReturn } : {}), fleetGuests };
}

const fleets = fc
  .record({
    hosts: fc.array(anyHost, { minLength: 1, maxLength: 5 }),
    entries: fc.array(fc.record({ host: fc.nat(9), target: fc.option(fc.nat(9), { nil: undefined }), count: fc.integer({ min: 1, max: 12 }) }), { minLength: 1, maxLength: 8 }),
    guests: fc.subarray([...guests], { maxLength: 2 }),
  })
  .map(({ hosts, entries, guests: fleetGuests }): FleetModel => {
    // a renamed copy: the same profile under another name is another pool
    const all = [...hosts, renamed(hosts[0]!)];
    const at = (k: number) => all[k % all.length]!;
    return { name: 'random', hosts: entries.map((e) => ({ host: at(e.host), count: e.count, ...(e.target !== undefined ? { upgradeTo: at(e.target) } : {}) })), guests: fleetGuests };
  });

const style = { color: false };

describe('buildPlan = the plan computed plainly', () => {
  it('the same report in every format on random fleets, guests and headrooms', () => {
    fc.assert(
      fc.property(fleets, fc.constantFrom(...guests), fc.constantFrom(0.05, 0.25, 0.5, 1, 3), (fleet, guest, headroom) => {
        const fast = buildPlan(fleet, guest, { headroom });
        const plain = plainPlan(fleet, guest, headroom);
        expect(planJson(fast)).toBe(planJson(plain));
        expect(planText(fast, style)).toBe(planText(plain, style));
        expect(planMarkdown(fast)).toBe(planMarkdown(plain));
        expect(planHtml(fast)).toBe(planHtml(plain));
      }),
      { seed: 20261202, numRuns: 80 },
    );
  });
});
