// Reads that end (issue 12, item 9): the size caps hold on the bytes actually read, since
// stat().size is 0 for FIFOs, devices and procfs; a FIFO with no writer or a silent one
// cannot hang the gate. Each case exits 3 with one located `file:1:1: (document): …` line.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TMP } from '../helpers.js';

const DIR = join(TMP, 'bounded-reads');
rmSync(DIR, { recursive: true, force: true });
mkdirSync(DIR, { recursive: true });
const REL = 'test/.tmp/bounded-reads';
const open: number[] = [];
afterAll(() => open.forEach((fd) => closeSync(fd)));

const fifo = (name: string) => {
  const r = spawnSync('mkfifo', [join(DIR, name)]);
  if (r.status !== 0) throw new Error(`mkfifo: ${r.stderr}`);
  return `${REL}/${name}`;
};
/** a FIFO whose writer is this test process, silent: O_RDWR holds a writer end open without a reader */
const silentFifo = (name: string) => {
  const f = fifo(name);
  open.push(openSync(f, constants.O_RDWR | constants.O_NONBLOCK));
  return f;
};
const run = (args: string[], opts: { stdin?: number } = {}) =>
  spawnSync(process.execPath, ['bin/migcheck', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, MIGCHECK_READ_IDLE_MS: '200' },
  });

/** exit 3, nothing on stdout, exactly one diagnostic line, matching `line` */
function refused(r: ReturnType<typeof run>, line: RegExp) {
  expect(r.error).toBeUndefined(); // not killed by the timeout: the read ended
  expect(r.status, r.stderr).toBe(3);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const HOST = 'apiVersion: migcheck/v1\nkind: Host\nname: h\nkernel: linux-6.6\nvmm: qemu-9.2\ncpu: neoverse-n1\n';

describe('profiles and fleets: bounded by bytes read, not by stat()', () => {
  it('a FIFO with no writer is refused at once, not waited on', () => {
    const f = fifo('no-writer.yaml');
    refused(run(['check', '--from', f, '--to', '2018-old']), new RegExp(`^${esc(f)}:1:1: \\(document\\): nothing to read: not a regular file`));
  });

  it('a FIFO whose writer stays silent is given up after a bounded wait (MIGCHECK_READ_IDLE_MS)', () => {
    const f = silentFifo('silent.yaml');
    refused(run(['check', '--from', f, '--to', '2018-old']), new RegExp(`^${esc(f)}:1:1: \\(document\\): cannot read: no data for 0\\.2 s`));
  });

  it('/dev/zero as a Host is refused after 1 MB', () => {
    refused(run(['check', '--from', '/dev/zero', '--to', '2018-old']), /^\/dev\/zero:1:1: \(document\): file is more than 1048576 bytes; profiles are limited to 1048576$/);
  });

  it('/dev/zero of an unknown kind (validate) is refused after the fleet cap, 16 MB', () => {
    refused(run(['validate', '/dev/zero']), /^\/dev\/zero:1:1: \(document\): file is more than 16777216 bytes; profiles are limited to 1048576, fleets to 16777216$/);
  });

  it('/dev/zero as a fleet is refused after 16 MB', () => {
    refused(run(['matrix', '--fleet', '/dev/zero']), /^\/dev\/zero:1:1: \(document\): file is more than 16777216 bytes; fleets are limited to 16777216$/);
  });

  it.runIf(existsSync('/proc/kallsyms') && readFileSync('/proc/kallsyms').length > 1 << 20)('/proc/kallsyms (stat size 0, megabytes to read) passes no cap', () => {
    refused(run(['check', '--from', '/proc/kallsyms', '--to', '2018-old']), /^\/proc\/kallsyms:1:1: \(document\): file is more than 1048576 bytes; profiles are limited to 1048576$/);
    refused(run(['validate', '/proc/kallsyms']), /^\/proc\/kallsyms:1:1: \(document\): file is \d+ bytes and not a Fleet; profiles are limited to 1048576$/);
  });

  it('a directory is refused', () => {
    mkdirSync(join(DIR, 'dir.yaml'), { recursive: true });
    refused(run(['check', '--from', `${REL}/dir.yaml`, '--to', '2018-old']), new RegExp(`^${esc(REL)}/dir\\.yaml:1:1: \\(document\\): cannot read: is a directory$`));
  });

  it('a Host over 1 MB is refused even where a fleet (16 MB) could be given', () => {
    writeFileSync(join(DIR, 'big-host.yaml'), `${HOST}description: ${'a'.repeat(1_200_000)}\n`);
    refused(run(['validate', `${REL}/big-host.yaml`]), /big-host\.yaml:1:1: \(document\): file is 12\d{5} bytes and not a Fleet; profiles are limited to 1048576$/);
    // one that mentions a fleet is parsed, and then refused as what it is
    writeFileSync(join(DIR, 'big-host-2.yaml'), `${HOST}description: "kind: Fleet ${'a'.repeat(1_200_000)}"\n`);
    refused(run(['validate', `${REL}/big-host-2.yaml`]), /big-host-2\.yaml:1:1: \(document\): file is 12\d{5} bytes; profiles are limited to 1048576$/);
  });
});

describe('check --batch: bounded input, stdin included', () => {
  it('--batch /dev/zero is refused after 16 MB', () => {
    refused(run(['check', '--batch', '/dev/zero']), /^\/dev\/zero:1:1: \(document\): batch input is more than 16777216 bytes; the limit is 16777216$/);
  });

  it('--batch - < /dev/zero (stdin) is refused after 16 MB', () => {
    const zero = openSync('/dev/zero', 'r');
    try {
      refused(run(['check', '--batch', '-'], { stdin: zero }), /^\(stdin\):1:1: \(document\): batch input is more than 16777216 bytes; the limit is 16777216$/);
    } finally {
      closeSync(zero);
    }
  });

  it('--batch on a FIFO with a silent writer is given up after a bounded wait', () => {
    const f = silentFifo('silent.jsonl');
    refused(run(['check', '--batch', f]), new RegExp(`^${esc(f)}:1:1: \\(document\\): cannot read: no data for 0\\.2 s`));
  });

  it('--batch on a directory is refused', () => {
    refused(run(['check', '--batch', REL]), new RegExp(`^${esc(REL)}:1:1: \\(document\\): cannot read: is a directory$`));
  });
});
