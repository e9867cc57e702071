// The yargs-free `check` (src/cli/check-fast.ts) must be indistinguishable from the full CLI:
// whenever it takes a command line, stdout, stderr and the exit code are the same; anything
// unusual is left to the full CLI.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { PARSER, fastCheck, simpleParse } from '../../src/cli/check-fast.js';
import { main } from '../../src/cli/main.js';
import { camel } from '../../src/cli/argv.js';

async function both(argv: string[], env: Record<string, string> = {}) {
  const run = async (f: (a: string[], io: never) => Promise<number | undefined>) => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, stdoutIsTTY: false, env };
    const code = await f(argv, io as never);
    return { code, stdout, stderr };
  };
  return { fast: await run(fastCheck as never), full: await run(main as never) };
}

const H = 'test/fixtures/hosts';

describe('check without yargs', () => {
  it.each([
    [['check', '--from', `${H}/n1-6.6.yaml`, '--to', `${H}/n1-6.12.yaml`]],
    [['check', '--from', `${H}/n1-6.13.yaml`, '--to', `${H}/n1-6.12.yaml`, '-f', 'json']],
    [['check', '--from=profiles/examples/custom-vmm/v1-writable-midr.yaml', '--to=profiles/examples/custom-vmm/n1-writable-midr.yaml', '--allow-unsafe', '--format', 'markdown']],
    [['check', '--from', '2018-sysreg-new', '--to', '2018-old', '--guest', '2018-compat', '--no-color', '-q']],
    [['check', '--from', 'test/fixtures/bad/unknown-key.yaml', '--to', '2018-old']],
    [['check', '--from', `${H}/n1-6.6.yaml`]],
    [['check', '--from', 'no-such-host', '--to', '2018-old']],
    [['check', '--profiles', 'profiles/examples', '--from', 'altra-6.6', '--to', 'altra-6.1', '--color']],
  ])('%j: same output and exit code as the full CLI', async (argv) => {
    const { fast, full } = await both(argv);
    expect(fast.code).toBeDefined();
    expect(fast).toEqual(full);
  });

  // issue 17: inline hosts and guests, their errors, MIGCHECK_PROFILES and global options first
  it.each([
    [['check', '--from', 'kernel=linux-6.13,vmm=qemu-9.2,cpu=graviton3', '--to', 'kernel=linux-6.12,vmm=qemu-9.2,cpu=graviton3', '-f', 'json']],
    [['check', '--from', 'extends=altra-6.6,kernel=linux-6.12', '--to', 'altra-6.6', '--guest', 'psciVersion=1.1,machineType=virt-9.2,pmu=false']],
    [['check', '--from', 'kernel=linux-6.66,vmm=qemu-9.2,cpu=graviton3', '--to', 'altra-6.6']],
    [['check', '--from', 'altra-6.6', '--to', 'altra-6.6', '--guest', 'psciVersion=1.9,,pmu=yes']],
    [['check', '--from', 'linux-6.6', '--to', 'altra-6.6']],
    [['--profiles', 'test/fixtures/hosts', 'check', '--from', 'n1-6.6', '--to', 'n1-6.12']],
  ])('%j: same output and exit code as the full CLI', async (argv) => {
    const { fast, full } = await both(argv);
    expect(fast.code).toBeDefined();
    expect(fast).toEqual(full);
  });

  it('MIGCHECK_PROFILES: the same on both paths, found or not', async () => {
    for (const env of [{ MIGCHECK_PROFILES: 'test/fixtures/hosts' }, { MIGCHECK_PROFILES: ':test/fixtures/no-such-dir' }, {}] as Record<string, string>[]) {
      const { fast, full } = await both(['check', '--from', 'n1-6.6', '--to', 'n1-6.12'], env);
      expect(fast.code).toBeDefined();
      expect(fast).toEqual(full);
    }
  });

  it.each([
    [['check', 'help']],
    [['check', '--help']],
    [['check', '-h']],
    [['check', '--frm', 'a', '--to', 'b']],
    [['check', '--from', 'a', '--from', 'b', '--to', 'c']],
    [['check', '--from', 'a', '--to', 'b', '--format', 'html']],
    [['check', 'extra', '--from', 'a', '--to', 'b']],
    [['check', '--version']],
    [['check', '--from', 'a', '--to', 'b', '--color', '--no-color']],
  ])('%j is left to the full CLI', async (argv) => {
    expect((await both(argv)).fast.code).toBeUndefined();
  });

  it('random flag combinations: whenever the fast path answers, it answers as the full CLI', async () => {
    const flag = fc.oneof(
      fc.constantFrom(['--format', 'json'], ['-f', 'markdown'], ['--format', 'text'], ['--allow-unsafe'], ['--quiet'], ['--no-color'], ['--color'], ['--guest', 'default'], ['--guest', 'test/fixtures/guests/stolen-time-on.yaml'], ['--guest', 'psciVersion=1.1,pmu=false'], ['--no-quiet'], ['--no-allow-unsafe'], ['-o', 'test/.tmp/fast-out.txt']),
      fc.constantFrom(['--format', 'yaml'], ['--bogus'], ['-x'], ['--guest']),
    );
    const host = fc.constantFrom(`${H}/n1-6.6.yaml`, `${H}/n1-6.13.yaml`, `${H}/v1-6.6.yaml`, '2018-old', 'test/fixtures/bad/wrong-type.yaml', 'kernel=linux-6.13,vmm=qemu-9.2,cpu=graviton3', 'kernel=linux-6.1,vmm=qemu-99,cpu=graviton3');
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(host, host, fc.array(flag, { maxLength: 4 }), async (from, to, flags) => {
        const { fast, full } = await both(['check', '--from', from, '--to', to, ...flags.flat()]);
        if (fast.code !== undefined) {
          answered++;
          expect(fast).toEqual(full);
        }
      }),
      { seed: 20261122, numRuns: 150 },
    );
    // a fast path that declined every line would have compared nothing
    expect(answered).toBeGreaterThan(30);
  });
});

describe('simpleParse (the common words without node:util parseArgs)', () => {
  const opts = Object.entries(PARSER);
  const word = fc.oneof(
    fc.constantFrom('check', 'extra', '-', '--', '-q', '-f', '-fjson', 'json', 'text', '-1', '--bogus', '--bogus=1', '', '--=x', '--__proto__', '--constructor'),
    fc.constantFrom(...opts.map(([name]) => `--${name}`)),
    fc.tuple(fc.constantFrom(...opts.map(([name]) => name)), fc.constantFrom('', 'x', 'json', '-x', 'a=b', 'true')).map(([n, v]) => `--${n}=${v}`),
  );
  const plainObj = (o: unknown) => JSON.parse(JSON.stringify(o));

  it('whenever it answers, parseArgs (strict) answers the same', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (words) => {
        const quick = simpleParse(words);
        if (!quick) return;
        answered++;
        const slow = parseArgs({ args: words, options: PARSER, allowPositionals: true, strict: true });
        expect(plainObj(quick)).toEqual(plainObj({ values: slow.values, positionals: slow.positionals }));
      }),
      { seed: 20261201, numRuns: 3000 },
    );
    expect(answered).toBeGreaterThan(300);
  });

  it('the gate as the libvirt hook writes it is answered without parseArgs', () => {
    expect(simpleParse(['check', '--from', 'a.yaml', '--to', 'b.yaml', '--format=json', '--no-color'])).toBeDefined();
  });
});

describe('camel (the key an option is read under)', () => {
  it("is yargs' camel-case on any name: s.replace(/-([a-z])/g, upper)", () => {
    const name = fc.stringMatching(/^[-a-zA-Z0-9]{0,12}$/);
    fc.assert(fc.property(name, (s) => camel(s) === s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())));
    expect(['fail-on', 'allow-unsafe', 'a--b', '-x-', 'format'].map(camel)).toEqual(['failOn', 'allowUnsafe', 'a-B', 'X-', 'format']);
  });
});
