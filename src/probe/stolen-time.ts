// PV stolen time needs sched_info_on() on the host (arch/arm64/kvm/pvtime.c
// kvm_arm_pvtime_supported; KVM_CAP_STEAL_TIME answers with it): CONFIG_SCHED_INFO
// (include/linux/sched/stat.h, 5.14+); before 5.14 also CONFIG_SCHEDSTATS or task delay
// accounting left on (no `nodelayacct`). Visible only where the kernel config is.
import { compareVersions } from '../kb/version.js';
import { CAPS, type HostTree } from './tree.js';

export interface ProbedStolenTime {
  readonly supported: boolean;
  readonly evidence: string;
}

export function probeStolenTime(tree: HostTree, osrelease: string, version: string): ProbedStolenTime | undefined {
  // osrelease is one validated word (kernel-release.ts): the path stays in /boot
  let file: string | undefined;
  let config: string | undefined;
  for (const f of [`/boot/config-${osrelease}`, '/proc/config.gz']) {
    config = tree.read(f, CAPS.config);
    if (config !== undefined) {
      file = f;
      break;
    }
  }
  if (!file || !config) return undefined;
  const set = (opt: string) => new RegExp(`^CONFIG_${opt}=y$`, 'm').test(config);
  if (!set('SCHED_INFO')) return { supported: false, evidence: `${file}: CONFIG_SCHED_INFO is not set` };
  if (compareVersions(version, '5.14') < 0 && !set('SCHEDSTATS')) {
    const cmdline = tree.line('/proc/cmdline') ?? '';
    if (/(^|\s)nodelayacct(\s|$)/.test(cmdline)) return { supported: false, evidence: `${file}: CONFIG_SCHEDSTATS is not set; /proc/cmdline: nodelayacct` };
  }
  return { supported: true, evidence: `${file}: CONFIG_SCHED_INFO=y` };
}
