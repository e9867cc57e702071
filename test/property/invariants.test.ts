// Invariants over the knowledge base, checked with fast-check (seeded, reproducible).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kernelReleases } from '../../src/kb/kernels.js';
import { vmmReleases } from '../../src/kb/vmms.js';
import { Resolver } from '../../src/profile/resolve.js';
import { assess } from '../../src/solver/assess.js';
import { cli, host, writeProfile } from '../helpers.js';

const SEED = 20261122;
const CORES = ['neoverse-n1', 'neoverse-v1', 'neoverse-v2', 'cortex-a72', 'cortex-a53', 'cortex-a57', 'ampereone'];
const STATE = fc.constantFrom('mitigated', 'unaffected', 'vulnerable');

const hostSpec = fc.record({
  kernel: fc.constantFrom(...kernelReleases).map((r) => `linux-${r}`),
  vmm: fc.constantFrom(...vmmReleases).map((r) => `qemu-${r}`),
  cpu: fc.record({ model: fc.constantFrom(...CORES), revision: fc.tuple(fc.nat(4), fc.nat(4)).map(([v, r]) => `r${v}p${r}`) }),
  mitigations: fc.record({ WORKAROUND_1: STATE, WORKAROUND_2: STATE, WORKAROUND_3: STATE }, { requiredKeys: [] }),
});

describe('self-migration is clean', () => {
  it('for every shipped example host', () => {
    const r = new Resolver();
    const hosts = [...r.names().entries()].filter(([, f]) => r.validateFile(f) === 'Host').map(([n]) => n);
    expect(hosts.length).toBeGreaterThanOrEqual(3);
    for (const name of hosts) {
      const h = r.host(name);
      expect(assess(h, h, r.guest('default')).verdict, name).toBe('clean');
    }
  });

  it('for any host built from the knowledge base, with the default guest', () => {
    fc.assert(
      fc.property(hostSpec, (spec) => {
        const h = host(spec);
        const result = assess(h, h, { name: 'default', stolenTime: 'auto' });
        expect(result.verdict).toBe('clean');
        expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('output is deterministic', () => {
  it('the same check twice, and with the profile keys reordered, prints the same bytes', async () => {
    await fc.assert(
      fc.asyncProperty(hostSpec, hostSpec, fc.boolean(), async (a, b, json) => {
        const fa = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'a', ...a });
        const fb = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'b', ...b });
        const reversed = Object.fromEntries(Object.entries({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'a', ...a }).reverse());
        const fa2 = writeProfile(reversed);
        const fmt = json ? ['--format', 'json'] : [];
        const one = await cli('check', '--from', fa, '--to', fb, ...fmt);
        const two = await cli('check', '--from', fa2, '--to', fb, ...fmt);
        expect(two).toEqual(one);
        expect([0, 1, 2]).toContain(one.code);
        if (json) {
          const parsed = JSON.parse(one.stdout);
          expect(['clean', 'unsafe', 'fail']).toContain(parsed.verdict);
          expect(one.code).toBe({ clean: 0, unsafe: 1, fail: 2 }[parsed.verdict as string]);
          for (const f of parsed.findings) expect(Object.keys(f)).toEqual(['rule', 'severity', 'subject', 'message', 'reference']);
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
