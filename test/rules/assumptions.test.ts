import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ruleTable } from './table.js';
import type { HostSpec } from '../helpers.js';

// the Ubuntu 22.04 Altra host as `migcheck probe` wrote it (upstream 5.15.167 from /proc/version_signature)
const probedUbuntu = parse(readFileSync('test/fixtures/hosts/altra-n1-ubuntu-5.15/expected/host.yaml', 'utf8')) as HostSpec;

ruleTable('assumptions', [
  {
    name: 'an Ubuntu release name to a probed Ubuntu host: the assumption is named, no register is claimed missing',
    from: { kernel: '5.15.0-91-generic', vmm: 'qemu-6.2' },
    to: probedUbuntu,
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'kernel.version' }],
  },
  {
    name: 'a RHEL release name is read as mainline 5.14.0, and says so',
    from: { kernel: '5.14.0-427.el9.aarch64' },
    to: { kernel: 'linux-5.14' },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'kernel.version' }],
  },
  {
    name: 'a Debian ABI name (cloud flavour) on both sides: one finding per side',
    from: { kernel: '6.1.0-13-cloud-arm64' },
    to: { kernel: 'linux-6.1.0-13-arm64' },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'kernel.version' }],
  },
  {
    name: 'the same release with upstream given assumes nothing, and takes 5.15.131\'s backports',
    from: { kernel: { version: '5.15.0-91-generic', upstream: '5.15.131' } },
    to: probedUbuntu,
    verdict: 'clean',
    none: true,
  },
  {
    name: 'a Debian package version names its upstream (6.1.192-3 is 6.1.192): nothing assumed',
    from: { kernel: '6.1.192-3' },
    to: { kernel: 'linux-6.1.192' },
    verdict: 'clean',
    none: true,
  },
  {
    name: 'mainline and stable names assume nothing',
    from: { kernel: 'linux-6.6' },
    to: { kernel: '6.6.80' },
    verdict: 'clean',
    none: true,
  },
]);
