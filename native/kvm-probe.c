/*
 * migcheck-kvm-probe: what this host's KVM tells a VMM, as JSON on stdout.
 *
 * Opens /dev/kvm, creates a scratch VM and one vCPU initialised the way QEMU's
 * `-cpu host` does by default (PSCI 0.2+, PMUv3 when offered), and prints
 * KVM_GET_REG_LIST, the values of the firmware pseudo-registers, the hypercall
 * bitmaps and the implementation ID registers, and the KVM_CHECK_EXTENSION
 * answers migcheck reads. `migcheck probe --kvm` merges the output.
 *
 * Self-contained on purpose: the uapi numbers below are the kernel's documented
 * values (include/uapi/linux/kvm.h, arch/arm64/include/uapi/asm/kvm.h), so it
 * builds against any libc headers, on any architecture, and says plainly where it
 * cannot run (no /dev/kvm, or not an arm64 host).
 *
 * Exit: 0 printed; 2 KVM unavailable here (message on stderr); 1 an ioctl failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MC_KVMIO 0xAE
#define MC_KVM_GET_API_VERSION _IO(MC_KVMIO, 0x00)
#define MC_KVM_CREATE_VM _IO(MC_KVMIO, 0x01)
#define MC_KVM_CHECK_EXTENSION _IO(MC_KVMIO, 0x03)
#define MC_KVM_CREATE_VCPU _IO(MC_KVMIO, 0x41)

struct mc_one_reg { uint64_t id; uint64_t addr; };
struct mc_vcpu_init { uint32_t target; uint32_t features[7]; };
struct mc_reg_list { uint64_t n; uint64_t reg[]; };

#define MC_KVM_GET_ONE_REG _IOW(MC_KVMIO, 0xab, struct mc_one_reg)
#define MC_KVM_ARM_VCPU_INIT _IOW(MC_KVMIO, 0xae, struct mc_vcpu_init)
#define MC_KVM_ARM_PREFERRED_TARGET _IOR(MC_KVMIO, 0xaf, struct mc_vcpu_init)
#define MC_KVM_GET_REG_LIST _IOWR(MC_KVMIO, 0xb0, struct mc_reg_list)

/* vCPU feature bits (arch/arm64/include/uapi/asm/kvm.h) */
#define MC_VCPU_PSCI_0_2 2
#define MC_VCPU_PMU_V3 3

/* register id classes: KVM_REG_ARM64 | size | coproc << 16 */
#define MC_REG_SIZE_SHIFT 52
#define MC_COPROC(id) (((id) >> 16) & 0xffff)
#define MC_COPROC_SYSREG 0x13
#define MC_COPROC_FW 0x14
#define MC_COPROC_FW_FEAT_BMAP 0x16
#define MC_SYSREG(op0, op1, crn, crm, op2) \
  (0x6030000000130000ULL | ((uint64_t)(op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

#if defined(__aarch64__)
static const struct { const char *name; int cap; } caps[] = {
  {"KVM_CAP_ARM_PSCI_0_2", 102},
  {"KVM_CAP_ARM_PMU_V3", 126},
  {"KVM_CAP_ARM_VM_IPA_SIZE", 165},
  {"KVM_CAP_ARM_SVE", 170},
  {"KVM_CAP_ARM_PTRAUTH_ADDRESS", 171},
  {"KVM_CAP_ARM_PTRAUTH_GENERIC", 172},
  {"KVM_CAP_STEAL_TIME", 187},
  {"KVM_CAP_ARM_MTE", 205},
  {"KVM_CAP_ARM_SYSTEM_SUSPEND", 216},
  {"KVM_CAP_COUNTER_OFFSET", 227},
  {"KVM_CAP_ARM_WRITABLE_IMP_ID_REGS", 239},
};

static int get_reg(int vcpu, uint64_t id, uint64_t *value) {
  struct mc_one_reg r = { id, (uint64_t)(uintptr_t)value };
  *value = 0;
  return ioctl(vcpu, MC_KVM_GET_ONE_REG, &r);
}

/* values worth reading: firmware registers, bitmaps and MIDR/REVIDR/AIDR (64-bit ones only) */
static int wanted_value(uint64_t id) {
  unsigned coproc = MC_COPROC(id);
  if ((id >> MC_REG_SIZE_SHIFT & 0xf) != 3) return 0;
  if (coproc == MC_COPROC_FW || coproc == MC_COPROC_FW_FEAT_BMAP) return 1;
  return id == MC_SYSREG(3, 0, 0, 0, 0) || id == MC_SYSREG(3, 0, 0, 0, 6) || id == MC_SYSREG(3, 1, 0, 0, 7);
}
#endif

static void usage(void) {
  fprintf(stderr, "usage: migcheck-kvm-probe [--device PATH]\n");
}

static int fail_unavailable(const char *fmt, const char *arg) {
  fprintf(stderr, "migcheck-kvm-probe: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return 2;
}

int main(int argc, char **argv) {
  const char *device = "/dev/kvm";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--device") && i + 1 < argc) device = argv[++i];
    else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { usage(); return 0; }
    else { usage(); return 2; }
  }

  int kvm = open(device, O_RDWR | O_CLOEXEC);
  if (kvm < 0) {
    if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
      return fail_unavailable("no KVM on this machine: %s does not exist (is the kvm module loaded, or is this a guest without nested virtualisation?)", device);
    if (errno == EACCES || errno == EPERM)
      return fail_unavailable("cannot open %s: permission denied (run as root or as a member of the kvm group)", device);
    fprintf(stderr, "migcheck-kvm-probe: cannot open %s: %s\n", device, strerror(errno));
    return 2;
  }
#if !defined(__aarch64__)
  close(kvm);
  return fail_unavailable("%s is not arm64 KVM: this helper reads arm64 registers and must run on the arm64 host it describes", device);
#else
  int api = ioctl(kvm, MC_KVM_GET_API_VERSION, 0);
  if (api < 0) {
    fprintf(stderr, "migcheck-kvm-probe: KVM_GET_API_VERSION on %s failed: %s (is it really KVM?)\n", device, strerror(errno));
    return 2;
  }
  if (api != 12) return fail_unavailable("unexpected KVM API version on %s (want 12)", device);
  int vm = ioctl(kvm, MC_KVM_CREATE_VM, 0);
  if (vm < 0) { perror("migcheck-kvm-probe: KVM_CREATE_VM"); return 1; }

  struct mc_vcpu_init init;
  memset(&init, 0, sizeof init);
  if (ioctl(vm, MC_KVM_ARM_PREFERRED_TARGET, &init) < 0) { perror("migcheck-kvm-probe: KVM_ARM_PREFERRED_TARGET"); return 1; }
  int pmu = ioctl(vm, MC_KVM_CHECK_EXTENSION, 126) > 0;
  init.features[0] |= 1u << MC_VCPU_PSCI_0_2;
  if (pmu) init.features[0] |= 1u << MC_VCPU_PMU_V3;
  int vcpu = ioctl(vm, MC_KVM_CREATE_VCPU, 0);
  if (vcpu < 0) { perror("migcheck-kvm-probe: KVM_CREATE_VCPU"); return 1; }
  if (ioctl(vcpu, MC_KVM_ARM_VCPU_INIT, &init) < 0) { perror("migcheck-kvm-probe: KVM_ARM_VCPU_INIT"); return 1; }

  struct mc_reg_list probe = { 0 };
  if (ioctl(vcpu, MC_KVM_GET_REG_LIST, &probe) < 0 && errno != E2BIG) { perror("migcheck-kvm-probe: KVM_GET_REG_LIST"); return 1; }
  struct mc_reg_list *list = calloc(1, sizeof *list + probe.n * sizeof(uint64_t));
  if (!list) return 1;
  list->n = probe.n;
  if (ioctl(vcpu, MC_KVM_GET_REG_LIST, list) < 0) { perror("migcheck-kvm-probe: KVM_GET_REG_LIST"); return 1; }

  printf("{\n  \"tool\": \"migcheck-kvm-probe\",\n  \"format\": 1,\n  \"apiVersion\": %d,\n", api);
  printf("  \"target\": %u,\n  \"vcpuFeatures\": [\"PSCI_0_2\"%s],\n", init.target, pmu ? ", \"PMU_V3\"" : "");
  printf("  \"capabilities\": {");
  for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
    printf("%s\n    \"%s\": %d", i ? "," : "", caps[i].name, ioctl(vm, MC_KVM_CHECK_EXTENSION, caps[i].cap));
  printf("\n  },\n  \"regList\": [");
  for (uint64_t i = 0; i < list->n; i++) printf("%s\n    \"0x%016llx\"", i ? "," : "", (unsigned long long)list->reg[i]);
  printf("\n  ],\n  \"values\": {");
  int first = 1;
  for (uint64_t i = 0; i < list->n; i++) {
    uint64_t v;
    if (!wanted_value(list->reg[i])) continue;
    if (get_reg(vcpu, list->reg[i], &v) < 0) { perror("migcheck-kvm-probe: KVM_GET_ONE_REG"); return 1; }
    printf("%s\n    \"0x%016llx\": \"0x%llx\"", first ? "" : ",", (unsigned long long)list->reg[i], (unsigned long long)v);
    first = 0;
  }
  printf("\n  }\n}\n");
  return 0;
#endif
}
