// Golden CLI files (arethetypeswrong style): each records the command, stdout, stderr
// and the exit code. UPDATE_GOLDEN=1 rewrites them; review the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runEntry } from '../helpers.js';
import { main, COMMANDS } from '../../src/cli/main.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const H = 'test/fixtures/hosts';
const G = 'test/fixtures/guests';
const B = 'test/fixtures/bad';
const T2018 = ['table', '--old', '2018-old', '--compat', '2018-compat'];

const INLINE_6_13 = 'kernel=linux-6.13,vmm=qemu-9.2,cpu=graviton3';
const INLINE_6_12 = 'kernel=linux-6.12,vmm=qemu-9.2,cpu=graviton3';

/** name, argv, and the environment (help is drawn for COLUMNS) */
const cases: [string, string[], Record<string, string>?][] = [
  ['table-2018-both', [...T2018, '--new', '2018-sysreg-new', '--new', '2018-vcpu-new']],
  ['table-2018-sysreg-json', [...T2018, '--new', '2018-sysreg-new', '--format', 'json']],
  ['table-2018-vcpu-markdown', [...T2018, '--new', '2018-vcpu-new', '--format', 'markdown']],
  ['table-2018-vcpu-all-rows', [...T2018, '--new', '2018-vcpu-new', '--all-rows']],
  ['table-2018-fail-on-unsafe', [...T2018, '--new', '2018-vcpu-new', '--fail-on', 'unsafe']],
  ['check-clean', ['check', '--from', `${H}/n1-6.6.yaml`, '--to', `${H}/n1-6.6.yaml`]],
  ['check-clean-info', ['check', '--from', `${H}/n1-6.12-q11.yaml`, '--to', `${H}/n1-6.13-q11.yaml`]],
  ['check-unsafe', ['check', '--from', `${H}/n1-5.13.yaml`, '--to', `${H}/n1-5.12.yaml`]],
  ['check-unsafe-allowed', ['check', '--from', `${H}/n1-5.13.yaml`, '--to', `${H}/n1-5.12.yaml`, '--allow-unsafe']],
  ['check-fail', ['check', '--from', `${H}/n1-6.6.yaml`, '--to', `${H}/v1-6.6.yaml`]],
  ['check-fail-json', ['check', '--from', `${H}/n1-6.13.yaml`, '--to', `${H}/n1-6.12.yaml`, '--format', 'json']],
  ['check-errata-markdown', ['check', '--from', `${H}/n1r4-6.15-next.yaml`, '--to', `${H}/n1-6.15-next.yaml`, '--format', 'markdown']],
  ['check-targets-clean', ['check', '--from', `${H}/n1r4-6.15-next.yaml`, '--to', `${H}/n1-6.15-next.yaml`, '--guest', `${G}/n1-v1-targets.yaml`]],
  ['error-syntax', ['check', '--from', `${B}/syntax.yaml`, '--to', `${H}/n1-6.6.yaml`]],
  ['error-unknown-key', ['check', '--from', `${B}/unknown-key.yaml`, '--to', `${H}/n1-6.6.yaml`]],
  ['error-wrong-type', ['check', '--from', `${B}/wrong-type.yaml`, '--to', `${H}/n1-6.6.yaml`]],
  ['error-unknown-name', ['check', '--from', `${B}/unknown-name.yaml`, '--to', `${H}/n1-6.6.yaml`]],
  ['error-unknown-cli-name', ['check', '--from', '2018-olld', '--to', '2018-old']],
  ['error-bad-flag', ['check', '--from', '2018-old', '--to', '2018-old', '--format', 'xml']],
  ['validate-mixed', ['validate', `${H}/n1-6.6.yaml`, `${G}/n1-v1-targets.yaml`, `${B}/unknown-key.yaml`]],
  ['validate-mixed-json', ['validate', `${H}/n1-6.6.yaml`, `${G}/n1-v1-targets.yaml`, `${B}/unknown-key.yaml`, '--format', 'json']],
  ['validate-mixed-junit', ['validate', `${H}/n1-6.6.yaml`, `${G}/n1-v1-targets.yaml`, `${B}/unknown-key.yaml`, '--format', 'junit']],
  ['validate-mixed-sarif', ['validate', `${H}/n1-6.6.yaml`, `${G}/n1-v1-targets.yaml`, `${B}/unknown-key.yaml`, '--format', 'sarif']],
  ['fence-fail-on-junit', ['fence', '--kernels', 'linux-6.11..linux-6.14', '--vmms', 'qemu-9.2', 'qemu-11.1', '--fail-on', 'fail', '--format', 'junit']],
  ['explain-psci-version', ['explain', 'psci-version']],
  ['explain-machine-type', ['explain', 'machine-type']],
  ['explain-list', ['explain']],
  ['profiles-list', ['profiles', 'list']],
  ['version', ['--version']],
  ['profiles-list-json', ['profiles', 'list', '--format', 'json']],
  ['profiles-show-kernel-stable', ['profiles', 'show', 'linux-5.4.190']],
  ['profiles-show-qemu-json', ['profiles', 'show', 'qemu-11.1', '--format', 'json']],
  ['profiles-show-cpu-markdown', ['profiles', 'show', 'graviton3', '--format', 'markdown']],
  ['profiles-show-host', ['profiles', 'show', 'profiles/examples/backports/altra-5.4.190.yaml']],
  ['profiles-show-guest', ['profiles', 'show', 'n1-v1-targets']],
  ['profiles-show-unknown', ['profiles', 'show', 'linux-7.99']],
  ['error-kernel-newer', ['profiles', 'show', 'linux-7.4']],
  ['error-kernel-suggest', ['fence', '--kernels', 'linux-6.20', '--vmms', 'qemu-9.2']],
  ['error-kernel-older', ['profiles', 'show', 'linux-4.9']],
  ['error-qemu-space', ['fence', '--kernels', 'linux-6.6', '--vmms', 'qemu 8.2']],
  ['error-qemu-newer', ['profiles', 'show', 'qemu-12.0']],
  ['check-distribution-kernel', ['check', '--from', 'test/fixtures/hosts/ubuntu-5.15.0-91.yaml', '--to', 'test/fixtures/hosts/altra-n1-ubuntu-5.15/expected/host.yaml']],
  ['check-stable-backport', ['check', '--from', 'altra-5.4.190', '--to', `${H}/n1-5.10.yaml`]],
  ['check-custom-vmm', ['check', '--from', 'n1-writable-midr', '--to', 'v1-writable-midr', '--guest', 'n1-v1-targets']],
  // a rollback that several waves share is worded once, then referred to
  ['plan-repeated-rollback', ['plan', '--fleet', 'profiles/examples/fleet/eu-west.yaml', '--headroom', '0.1']],
  ...fleetCases(),
  // issue 17: hosts and guests inline, located like a file's problems
  ['check-inline', ['check', '--from', INLINE_6_13, '--to', INLINE_6_12]],
  ['check-inline-guest', ['check', '--from', INLINE_6_13, '--to', INLINE_6_12, '--guest', 'psciVersion=1.1,machineType=virt-9.2,stolenTime=false']],
  ['check-inline-extends', ['check', '--from', 'altra-6.6', '--to', 'extends=altra-6.6,kernel=linux-6.12', '--format', 'json']],
  ['error-inline-host', ['check', '--from', 'kernel=linux-6.66,vmm=qemu-9.2,cpu=graviton3', '--to', INLINE_6_12]],
  ['error-inline-keys', ['check', '--from', 'kernel=linux-6.6,cpux=graviton3,vmm=qemu-9.2', '--to', INLINE_6_12]],
  ['error-inline-shape', ['check', '--from', 'kernel=linux-6.6,,vmm=,kernel=linux-6.1,graviton3', '--to', INLINE_6_12]],
  ['error-inline-guest', ['check', '--from', INLINE_6_12, '--to', INLINE_6_12, '--guest', 'psciVersion=1.9,pmu=yes,machineType=virt9']],
  ['error-host-is-kernel', ['check', '--from', 'linux-6.6', '--to', INLINE_6_12]],
  ['error-host-unknown', ['check', '--from', 'no-such-host', '--to', INLINE_6_12]],
  ['matrix-inline', ['matrix', INLINE_6_13, INLINE_6_12, 'altra-6.12']],
  ['error-matrix-host-is-kernel', ['matrix', 'linux-6.6', 'altra-6.6']],
  ['error-matrix-inline', ['matrix', INLINE_6_13, 'kernel=linux-6.12,vmm=qemu-99,cpu=graviton3']],
  ['table-inline', ['table', '--old', INLINE_6_13, '--new', INLINE_6_12, '--compat', 'psciVersion=1.1']],
  ['baseline-inline', ['baseline', INLINE_6_13, INLINE_6_12]],
  // issue 17: options as people type them
  ['matrix-guest-then-hosts', ['matrix', '--guest', 'pinned', 'altra-6.6', 'altra-6.12']],
  ['matrix-profiles-then-hosts', ['matrix', '--profiles', 'test/fixtures/hosts', 'n1-6.6', 'n1-6.12']],
  ['global-option-first', ['--profiles', 'test/fixtures/hosts', 'check', '--from', 'n1-6.6', '--to', 'n1-6.12']],
  ['env-profiles', ['check', '--from', 'n1-6.6', '--to', 'n1-6.12'], { MIGCHECK_PROFILES: 'test/fixtures/hosts:test/fixtures/guests' }],
  ['check-help-word', ['check', 'help'], { COLUMNS: '80' }],
  ['help-word-command', ['help', 'fence'], { COLUMNS: '80' }],
  ['explain-prefix', ['explain', 'psci']],
  ['fence-reversed-range', ['fence', '--kernels', 'linux-6.15..linux-6.12', '--vmms', 'qemu-9.2']],
  // issue 17: findings by weight (fail, unsafe, info) in every format
  ['check-weight-order', ['check', '--from', `${H}/v1-6.15-next.yaml`, '--to', `${H}/n1-6.15-next.yaml`]],
  ...helpCases(),
];

/** `--help` of every command (and of migcheck itself) at 80 and 200 columns. */
function helpCases(): [string, string[], Record<string, string>][] {
  const names = ['', ...COMMANDS.map((c) => c.command.split(' ')[0]!)];
  return names.flatMap((n) => ['80', '200'].map((cols): [string, string[], Record<string, string>] => [`help-${n || 'migcheck'}-${cols}`, [...(n ? [n] : []), '--help'], { COLUMNS: cols }]));
}

/** Every fleet report on the shipped fleet, in every format. */
function fleetCases(): [string, string[]][] {
  const FLEET = 'profiles/examples/fleet/eu-west.yaml';
  const commands: [string, string[]][] = [
    ['matrix', ['matrix', '--fleet', FLEET]],
    ['matrix-targets', ['matrix', '--fleet', FLEET, '--with-targets', '--guest', 'default']],
    ['baseline', ['baseline', '--fleet', FLEET, '--with-targets']],
    ['plan', ['plan', '--fleet', FLEET]],
    ['fence', ['fence', '--kernels', 'linux-5.15..linux-6.15', '--vmms', 'qemu-9.2', 'qemu-11.1']],
  ];
  const formats = ['text', 'json', 'markdown', 'html'];
  const pools: [string, string[]][] = [
    ...[...formats, 'kubernetes', 'openstack'].map((f): [string, string[]] => [`pools-${f}`, ['pools', '--fleet', FLEET, ...(f === 'text' ? [] : ['--format', f])]]),
    ...[...formats, 'kubernetes', 'openstack'].map((f): [string, string[]] => [`pools-targets-${f}`, ['pools', '--fleet', FLEET, '--with-targets', ...(f === 'text' ? [] : ['--format', f])]]),
    ['pools-alone', ['pools', '--fleet', 'test/fixtures/fleets/pools-alone.yaml']],
    ['error-pools-unnamed-kubernetes', ['pools', '--fleet', 'test/fixtures/fleets/pools-alone.yaml', '--format', 'kubernetes']],
    ['error-format-kubernetes-matrix', ['matrix', '--fleet', FLEET, '--format', 'kubernetes']],
  ];
  return [...commands.flatMap(([name, argv]) => formats.map((f): [string, string[]] => [`${name}-${f}`, [...argv, ...(f === 'text' ? [] : ['--format', f])]])), ...pools];
}

function render(argv: string[], env: Record<string, string>, r: { code: number; stdout: string; stderr: string }): string {
  const block = (s: string) => `\`\`\`\n${s}${s.endsWith('\n') || !s ? '' : '\n'}\`\`\`\n`;
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v} `).join('');
  return [`$ ${vars}migcheck ${argv.join(' ')}`, '', block(r.stdout), ...(r.stderr ? ['stderr:', '', block(r.stderr)] : []), `Exit code: ${r.code}`, ''].join('\n');
}

describe('golden CLI output', () => {
  it.each(cases)('%s', async (name, argv, env = {}) => {
    const text = render(argv, env, (await runEntry(main as never, argv, env)) as { code: number; stdout: string; stderr: string });
    const file = join(DIR, `${name}.md`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(existsSync(file), `${file} is missing: run npm run golden:update`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});
