// The scheduler outputs of `pools` (kubectl labels, Placement traits) are written for speed: a
// member's lines are one join over its nodes, not a string per node, and printableText is
// applied to the lines that may carry profile text, not to the node lines. Here they are held
// to the plain writing — a line per named node of every pool in order, then per wave the nodes
// whose pool changed, the whole text through printableText — on random pool sets (alone blocks,
// unnamed hosts, waves) with names holding control characters; and every node name the Fleet
// schema admits is shown as it is.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PoolSet, PoolsReport } from '../../src/fleet/pools.js';
import { printableText } from '../../src/profile/printable.js';
import { poolsKubernetes, poolsOpenstack } from '../../src/render/pools.js';
import { PAINT_CODES } from '../../src/render/style.js';

/** A small PRNG, so one fast-check integer stands for a whole random report. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) | 0;
  };
}

const host = (name: string) => ({ name }) as never;
// profile text with what printableText escapes: controls, a paint code, bidi controls, lone surrogates
const oddText = fc.array(fc.constantFrom('a', '-', ' ', '\n', '\x1b', '\x1b[1m', '\u202e', '\u2028', '\x85', '\ud800', '\udc00', '\t', 'é'), { maxLength: 6 }).map((xs) => xs.join(''));

/** A pool set over the nodes `names` (each once, in some pool), with ids from `first`. */
function randomSet(r: (n: number) => number, names: readonly string[], first: number): PoolSet {
  const left = [...names].sort(() => r(3) - 1);
  const pools: unknown[] = [];
  let id = first;
  const P = 1 + r(5);
  for (let p = 0; p < P; p++) {
    const alone = r(4) === 0;
    const groups = Array.from({ length: 1 + r(2) }, (_, g) => {
      const members = Array.from({ length: 1 + r(2) }, (_, k) => {
        const take = p === P - 1 && g === 0 && k === 0 ? left.length : r(Math.min(left.length, 6) + 1);
        const nodes = left.splice(0, take).sort();
        const unnamed = r(3);
        return { host: host(`h${p}-${g}-${k}`), nodes, unnamed, count: nodes.length + unnamed };
      });
      return { rep: members[0]!.host, members, count: members.reduce((n, m) => n + m.count, 0), key: '', u: 0 };
    });
    const count = groups.reduce((n, g) => n + g.count, 0);
    pools.push({ id, count, groups, ...(alone ? { alone: [] } : {}) });
    id += alone ? Math.max(count, 1) : 1;
  }
  return { hosts: 0, profiles: 0, pools, drains: [], separations: [], exact: true, apart: 0 } as unknown as PoolSet;
}

const nameArb = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,6}[a-z0-9])?$/);
const reportArb = fc.record({ seed: fc.integer(), names: fc.uniqueArray(nameArb, { maxLength: 30 }), waves: fc.integer({ min: 0, max: 3 }), text: fc.array(oddText, { minLength: 4, maxLength: 4 }) }).map(({ seed, names, waves, text: [fleet, guest, from, to] }) => {
  const r = rng(seed);
  const now = randomSet(r, names, 1);
  const report = {
    fleet,
    guests: [{ name: guest }],
    ...now,
    ...(waves ? { plan: { guest, blocked: false, waves: Array.from({ length: waves }, (_, i) => ({ wave: { index: i + 1, pool: 1, hosts: 1 + r(3), from: host(from!), to: host(to!) }, set: randomSet(r, names, 1 + r(4)) })) } } : {}),
  };
  return report as unknown as PoolsReport;
});

// ---- the plain writing (what render/pools.ts wrote before its per-member joins) ----

interface NodePools {
  readonly nodes: string[];
  readonly ids: number[];
}
function nodePools(s: PoolSet): NodePools {
  const out: NodePools = { nodes: [], ids: [] };
  for (const p of s.pools) {
    let id = p.id;
    for (const g of p.groups)
      for (const m of g.members) {
        for (const n of m.nodes) out.nodes.push(n), out.ids.push(p.alone ? id++ : p.id);
        if (p.alone) id += m.unnamed;
      }
  }
  return out;
}
function plainBody(r: PoolsReport, line: (node: string, id: number) => string): string[] {
  const now = nodePools(r);
  const out = now.nodes.map((n, k) => line(n, now.ids[k]!));
  let before = now;
  for (const w of r.plan?.waves ?? []) {
    const after = nodePools(w.set);
    const was = new Map(before.nodes.map((n, k) => [n, before.ids[k]!]));
    const moved = after.nodes.flatMap((n, k) => (was.get(n) !== after.ids[k] ? [line(n, after.ids[k]!)] : []));
    out.push('', `# after wave ${w.wave.index} of the plan (${w.wave.hosts} ${w.wave.from.name} -> ${w.wave.to.name}), once its hosts are upgraded: ${moved.length ? `${moved.length} node${moved.length === 1 ? '' : 's'} change pool` : 'no node changes pool'}`, ...moved);
    before = after;
  }
  return out;
}
const same = (s: string) => s;
/** the output after its `# pools now …:` line (the names in it hold no '#', the line itself no line break) */
const body = (text: string) => {
  const at = text.indexOf('\n', text.indexOf('# pools now'));
  return text.slice(at + 1);
};
const lines = (xs: string[]) => xs.map((l) => `${l}\n`).join('');

const kubectl = (n: string, id: number) => `kubectl label node ${n} migcheck.dev/pool=${id} --overwrite`;
const placement = (n: string, id: number) =>
  `rp=$(openstack resource provider list --name ${n} -f value -c uuid) && openstack --os-placement-api-version 1.6 resource provider trait set $(openstack --os-placement-api-version 1.6 resource provider trait list -f value -c name "$rp" | grep -v '^CUSTOM_MIGCHECK_POOL_' | sed 's/^/--trait /') --trait CUSTOM_MIGCHECK_POOL_${id} "$rp"`;

describe('pools --format kubernetes|openstack = a line per node, through printableText', () => {
  it('on random pool sets and waves', () => {
    const seen = { joined: 0, alone: 0, moved: 0, escaped: 0 };
    const escapes = [(s: string) => printableText(s), (s: string) => printableText(s, PAINT_CODES)];
    fc.assert(
      fc.property(reportArb, (r) => {
        const k8s = body(poolsKubernetes(r, same).printable);
        expect(k8s).toBe(lines(plainBody(r, kubectl)));
        expect(body(poolsOpenstack(r, same).printable)).toBe(lines(plainBody(r, placement)));
        // one trait per pool id any named node takes, now or after a wave
        const ids = [...new Set([r, ...(r.plan?.waves.map((w) => w.set) ?? [])].flatMap((s) => nodePools(s).ids))].sort((a, b) => a - b);
        expect(poolsOpenstack(r, same).printable.split('\n').filter((l) => l.startsWith('openstack --os-placement-api-version 1.6 trait create '))).toEqual(ids.map((id) => `openstack --os-placement-api-version 1.6 trait create CUSTOM_MIGCHECK_POOL_${id}`));
        for (const e of escapes) {
          expect(poolsKubernetes(r, e).printable).toBe(e(poolsKubernetes(r, same).printable));
          expect(poolsOpenstack(r, e).printable).toBe(e(poolsOpenstack(r, same).printable));
        }
        if (printableText(poolsKubernetes(r, same).printable) !== poolsKubernetes(r, same).printable) seen.escaped++;
        if (r.pools.some((p) => !p.alone && p.groups.some((g) => g.members.some((m) => m.nodes.length > 1)))) seen.joined++;
        if (r.pools.some((p) => p.alone && p.groups.some((g) => g.members.some((m) => m.nodes.length)))) seen.alone++;
        if (/ change pool\n/.test(k8s)) seen.moved++;
      }),
      { seed: 20261202, numRuns: 300 },
    );
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(10);
  });
});

describe('node names hold nothing printableText changes', () => {
  it("every character the Fleet schema's node pattern admits is shown as it is", () => {
    const fleet = JSON.parse(readFileSync('schemas/fleet.schema.json', 'utf8'));
    const pattern = new RegExp(fleet.properties.hosts.items.properties.nodes.items.pattern);
    let admitted = 0;
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (!pattern.test(`a${ch}a`) && !pattern.test(ch)) continue;
      admitted++;
      expect(printableText(ch), `U+${c.toString(16)}`).toBe(ch);
    }
    expect(admitted).toBe(65); // letters, digits, '.', '_', '-'
  });
});
