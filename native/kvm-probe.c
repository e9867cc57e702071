/*
 * migcheck-kvm-probe: what this host's KVM tells a VMM, as JSON on stdout, and a replay of
 * another host's capture onto this one as QEMU's incoming migration would apply it.
 *
 *   migcheck-kvm-probe [--device PATH] [--features qemu-7.0|qemu-5.0|qemu-4.1] [--no-sve] [--no-ptrauth] [--no-pmu]
 *                      [--sve-vls BITMAP]
 *   migcheck-kvm-probe replay FILE [same options]
 *
 * --sve-vls: the vector lengths (bit N-1 for N x 128 bits) written to KVM_REG_ARM64_SVE_VLS
 * instead of all the host offers, as QEMU does for sve<N> properties; a set the host's KVM
 * does not support fails with that ioctl's error (exit 1).
 *
 * Capture (no mode): opens /dev/kvm, creates a scratch VM and one vCPU initialised the way
 * QEMU's `-cpu host` does (QEMU >= 7.0, target/arm/kvm.c kvm_arch_init_vcpu: PSCI_0_2 when
 * KVM_CAP_ARM_PSCI_0_2, PMU_V3 when KVM_CAP_ARM_PMU_V3, SVE when KVM_CAP_ARM_SVE — its vector
 * lengths written back through KVM_REG_ARM64_SVE_VLS, then KVM_ARM_VCPU_FINALIZE(SVE) —, and
 * PTRAUTH_ADDRESS|PTRAUTH_GENERIC when both PTRAUTH caps are offered; QEMU 5.0-6.2 enabled
 * no pointer authentication under KVM, QEMU <= 4.1 no SVE), and prints KVM_GET_REG_LIST,
 * the value of every register QEMU's cpreg list migrates (all but core and SVE registers,
 * kvm_arm_reg_syncs_via_cpreg_list), the KVM_CHECK_EXTENSION answers migcheck reads, and the
 * boot options of /proc/cmdline that change what KVM exposes, and, where the kernel offers
 * them (KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES, 6.7 on), the writable masks of the feature ID
 * registers (KVM_ARM_GET_REG_WRITABLE_MASKS: the bits KVM_SET_ONE_REG may change, each field
 * then judged by its safe-value rule; every other bit must equal KVM's own value).
 * `migcheck probe --kvm` merges it.
 *
 * Replay: a fresh vCPU with the same feature selection, then QEMU's incoming rules
 * (target/arm/machine.c cpu_post_load, target/arm/kvm.c write_list_to_kvmstate): the cpreg
 * list is the sorted register ids minus core and SVE; a source register the destination does
 * not list fails the migration; every destination cpreg is then written with
 * KVM_SET_ONE_REG (the source's value where it sent one, the destination's own reset value
 * otherwise) and any error fails it. Every refusal is printed, not only the first.
 *
 * Self-contained on purpose: the uapi numbers below are the kernel's documented values
 * (include/uapi/linux/kvm.h, arch/arm64/include/uapi/asm/kvm.h; checked against both), so
 * it builds against any libc headers, on any architecture, and says plainly where it cannot
 * run (no /dev/kvm, or not an arm64 host).
 *
 * Exit: 0 printed (a replay that fails is still 0: the verdict is in the JSON); 2 KVM
 * unavailable here or bad usage (message on stderr); 1 an ioctl failed; 3 unreadable FILE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

/* include/uapi/linux/kvm.h */
#define MC_KVMIO 0xAE
#define MC_KVM_GET_API_VERSION _IO(MC_KVMIO, 0x00)
#define MC_KVM_CREATE_VM _IO(MC_KVMIO, 0x01)
#define MC_KVM_CHECK_EXTENSION _IO(MC_KVMIO, 0x03)
#define MC_KVM_CREATE_VCPU _IO(MC_KVMIO, 0x41)

struct mc_one_reg { uint64_t id; uint64_t addr; };                 /* struct kvm_one_reg */
struct mc_vcpu_init { uint32_t target; uint32_t features[7]; };    /* struct kvm_vcpu_init (asm/kvm.h) */
struct mc_reg_list { uint64_t n; uint64_t reg[]; };                /* struct kvm_reg_list */

#define MC_KVM_GET_ONE_REG _IOW(MC_KVMIO, 0xab, struct mc_one_reg)
#define MC_KVM_SET_ONE_REG _IOW(MC_KVMIO, 0xac, struct mc_one_reg)
#define MC_KVM_ARM_VCPU_INIT _IOW(MC_KVMIO, 0xae, struct mc_vcpu_init)
#define MC_KVM_ARM_PREFERRED_TARGET _IOR(MC_KVMIO, 0xaf, struct mc_vcpu_init)
#define MC_KVM_GET_REG_LIST _IOWR(MC_KVMIO, 0xb0, struct mc_reg_list)
#define MC_KVM_ARM_VCPU_FINALIZE _IOW(MC_KVMIO, 0xc2, int)
/* struct reg_mask_range (asm/kvm.h), a VM ioctl; range 0 (KVM_ARM_FEATURE_ID_RANGE) is the
 * feature ID space op0=3 op1={0,1,3} CRn=0 CRm=0..7 op2=0..7, 3 * 8 * 8 masks indexed by
 * KVM_ARM_FEATURE_ID_RANGE_IDX: (op1 == 3 ? 2 : op1) << 6 | CRm << 3 | op2 */
struct mc_reg_mask_range { uint64_t addr; uint32_t range; uint32_t reserved[13]; };
#define MC_KVM_ARM_GET_REG_WRITABLE_MASKS _IOR(MC_KVMIO, 0xb6, struct mc_reg_mask_range)
#define MC_FEATURE_ID_RANGE 0
#define MC_FEATURE_ID_RANGE_SIZE (3 * 8 * 8)

/* vCPU feature bits (arch/arm64/include/uapi/asm/kvm.h KVM_ARM_VCPU_*) */
#define MC_VCPU_PSCI_0_2 2
#define MC_VCPU_PMU_V3 3
#define MC_VCPU_SVE 4
#define MC_VCPU_PTRAUTH_ADDRESS 5
#define MC_VCPU_PTRAUTH_GENERIC 6

/* KVM_CAP_* (include/uapi/linux/kvm.h) */
#define MC_CAP_PSCI_0_2 102
#define MC_CAP_PMU_V3 126
#define MC_CAP_SVE 170
#define MC_CAP_PTRAUTH_ADDRESS 171
#define MC_CAP_PTRAUTH_GENERIC 172
#define MC_CAP_REG_MASK_RANGES 230 /* KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES: a bitmap of ranges */

/* register ids: KVM_REG_ARM64 | KVM_REG_SIZE_* (bits 52..55) | coproc (bits 16..27) | index */
#define MC_REG_SIZE_SHIFT 52
#define MC_REG_SIZE(id) (((id) >> MC_REG_SIZE_SHIFT) & 0xf)
#define MC_SIZE_U32 2
#define MC_SIZE_U64 3
#define MC_COPROC(id) (((id) >> 16) & 0xfff)                          /* KVM_REG_ARM_COPROC_MASK */
#define MC_COPROC_CORE 0x10                                            /* KVM_REG_ARM_CORE */
#define MC_COPROC_SYSREG 0x13
#define MC_COPROC_FW 0x14
#define MC_COPROC_SVE 0x15                                             /* KVM_REG_ARM64_SVE */
#define MC_COPROC_FW_FEAT_BMAP 0x16
#define MC_SYSREG(op0, op1, crn, crm, op2) \
  (0x6030000000130000ULL | ((uint64_t)(op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
/* KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_SIZE_U512 | 0xffff, 8 words (KVM_ARM64_SVE_VLS_WORDS) */
#define MC_SVE_VLS 0x606000000015ffffULL
#define MC_SVE_VLS_WORDS 8
/* QEMU's ARM_MAX_VQ: kvm_arm_sve_set_vls writes one word of at most 16 vector lengths */
#define MC_QEMU_MAX_VQ_MASK 0xffffULL

static void usage(void) {
  fprintf(stderr,
          "usage: migcheck-kvm-probe [replay FILE] [--device PATH] [--features qemu-7.0|qemu-5.0|qemu-4.1]\n"
          "                          [--no-sve] [--no-ptrauth] [--no-pmu] [--sve-vls BITMAP]\n");
}

static int fail_unavailable(const char *fmt, const char *arg) {
  fprintf(stderr, "migcheck-kvm-probe: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return 2;
}

struct options {
  const char *device;
  const char *replay;
  const char *features;
  int sve, ptrauth, pmu;
  /* --sve-vls: write this KVM_REG_ARM64_SVE_VLS bitmap instead of the host's (what a VMM pinning
   * the source's lengths asks of the destination's KVM) */
  uint64_t sve_vls;
  int sve_vls_set;
};

#if defined(__aarch64__)
static void json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

/* opt starts with prefix, '-' and '_' alike: the kernel reads them alike in these names
 * (kernel/params.c, idreg-override.c), so kvm_arm.mode=nvhe is kvm-arm.mode=nvhe */
static int starts_as(const char *opt, const char *prefix) {
  for (; *prefix; opt++, prefix++) {
    char a = *opt == '-' ? '_' : *opt, b = *prefix == '-' ? '_' : *prefix;
    if (a != b) return 0;
  }
  return 1;
}

/* /proc/cmdline options that change what KVM exposes: kvm-arm.mode and friends, arm64.no*
 * feature switches, id_aa64* / id_* ID-register overrides (arch/arm64/kernel/pi/idreg-override.c);
 * src/probe/kvm-output.ts kvmRelevantOption is the same filter */
static int kvm_relevant_option(const char *opt) {
  return starts_as(opt, "kvm-arm.") || starts_as(opt, "arm64.") || starts_as(opt, "id_") ||
         !strcmp(opt, "nokaslr") || starts_as(opt, "kvm.");
}

static void print_boot_options(void) {
  char line[4096] = "";
  FILE *f = fopen("/proc/cmdline", "r");
  if (f) {
    if (!fgets(line, sizeof line, f)) line[0] = 0;
    fclose(f);
  }
  line[strcspn(line, "\n")] = 0;
  printf("  \"cmdline\": ");
  json_string(line);
  printf(",\n  \"bootOptions\": [");
  int first = 1;
  for (char *save = NULL, *tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
    if (!kvm_relevant_option(tok)) continue;
    printf("%s", first ? "" : ", ");
    json_string(tok);
    first = 0;
  }
  printf("],\n");
}

static const struct { const char *name; int cap; } caps[] = {
  {"KVM_CAP_ARM_EL1_32BIT", 93},
  {"KVM_CAP_ARM_PSCI_0_2", MC_CAP_PSCI_0_2},
  {"KVM_CAP_ARM_PMU_V3", MC_CAP_PMU_V3},
  {"KVM_CAP_ARM_INJECT_SERROR_ESR", 158},
  {"KVM_CAP_ARM_VM_IPA_SIZE", 165},
  {"KVM_CAP_ARM_SVE", MC_CAP_SVE},
  {"KVM_CAP_ARM_PTRAUTH_ADDRESS", MC_CAP_PTRAUTH_ADDRESS},
  {"KVM_CAP_ARM_PTRAUTH_GENERIC", MC_CAP_PTRAUTH_GENERIC},
  {"KVM_CAP_ARM_NISV_TO_USER", 177},
  {"KVM_CAP_STEAL_TIME", 187},
  {"KVM_CAP_ARM_MTE", 205},
  {"KVM_CAP_ARM_SYSTEM_SUSPEND", 216},
  {"KVM_CAP_COUNTER_OFFSET", 227},
  {"KVM_CAP_ARM_WRITABLE_IMP_ID_REGS", 239},
};

/* what QEMU's cpreg list carries (kvm_arm_reg_syncs_via_cpreg_list): all but core and SVE */
static int syncs_via_cpreg_list(uint64_t id) {
  unsigned coproc = MC_COPROC(id);
  return coproc != MC_COPROC_CORE && coproc != MC_COPROC_SVE;
}

static int get_reg(int vcpu, uint64_t id, uint64_t *value) {
  uint32_t v32 = 0;
  struct mc_one_reg r = { id, 0 };
  *value = 0;
  if (MC_REG_SIZE(id) == MC_SIZE_U32) r.addr = (uint64_t)(uintptr_t)&v32;
  else r.addr = (uint64_t)(uintptr_t)value;
  int ret = ioctl(vcpu, MC_KVM_GET_ONE_REG, &r);
  if (MC_REG_SIZE(id) == MC_SIZE_U32) *value = v32;
  return ret;
}

static int set_reg(int vcpu, uint64_t id, uint64_t value) {
  uint32_t v32 = (uint32_t)value;
  struct mc_one_reg r = { id, MC_REG_SIZE(id) == MC_SIZE_U32 ? (uint64_t)(uintptr_t)&v32 : (uint64_t)(uintptr_t)&value };
  return ioctl(vcpu, MC_KVM_SET_ONE_REG, &r);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

struct vcpu {
  int vm, fd;
  struct mc_vcpu_init init;
  int pmu, sve, ptrauth;
  uint64_t vls;
  struct mc_reg_list *list;     /* as KVM_GET_REG_LIST returned it */
  uint64_t *cpregs, *values;    /* QEMU's cpreg list: sorted, without core/SVE */
  size_t ncpregs;
};

static int die_ioctl(const char *what) {
  fprintf(stderr, "migcheck-kvm-probe: %s: %s\n", what, strerror(errno));
  return 1;
}

/* A VM and a vCPU as QEMU's -cpu host gets them (see the header). 0, or 1 with a message. */
static int make_vcpu(int kvm, const struct options *o, struct vcpu *v) {
  memset(v, 0, sizeof *v);
  v->vm = ioctl(kvm, MC_KVM_CREATE_VM, 0);
  if (v->vm < 0) return die_ioctl("KVM_CREATE_VM");
  if (ioctl(v->vm, MC_KVM_ARM_PREFERRED_TARGET, &v->init) < 0) return die_ioctl("KVM_ARM_PREFERRED_TARGET");
  memset(v->init.features, 0, sizeof v->init.features);
  v->pmu = o->pmu && ioctl(v->vm, MC_KVM_CHECK_EXTENSION, MC_CAP_PMU_V3) > 0;
  v->sve = o->sve && ioctl(v->vm, MC_KVM_CHECK_EXTENSION, MC_CAP_SVE) > 0;
  v->ptrauth = o->ptrauth && ioctl(v->vm, MC_KVM_CHECK_EXTENSION, MC_CAP_PTRAUTH_ADDRESS) > 0 &&
               ioctl(v->vm, MC_KVM_CHECK_EXTENSION, MC_CAP_PTRAUTH_GENERIC) > 0;
  if (ioctl(v->vm, MC_KVM_CHECK_EXTENSION, MC_CAP_PSCI_0_2) > 0) v->init.features[0] |= 1u << MC_VCPU_PSCI_0_2;
  if (v->pmu) v->init.features[0] |= 1u << MC_VCPU_PMU_V3;
  if (v->sve) v->init.features[0] |= 1u << MC_VCPU_SVE;
  if (v->ptrauth) v->init.features[0] |= 1u << MC_VCPU_PTRAUTH_ADDRESS | 1u << MC_VCPU_PTRAUTH_GENERIC;
  v->fd = ioctl(v->vm, MC_KVM_CREATE_VCPU, 0);
  if (v->fd < 0) return die_ioctl("KVM_CREATE_VCPU");
  if (ioctl(v->fd, MC_KVM_ARM_VCPU_INIT, &v->init) < 0) return die_ioctl("KVM_ARM_VCPU_INIT");
  if (v->sve) {
    uint64_t vls[MC_SVE_VLS_WORDS] = { 0 };
    struct mc_one_reg r = { MC_SVE_VLS, (uint64_t)(uintptr_t)vls };
    if (ioctl(v->fd, MC_KVM_GET_ONE_REG, &r) < 0) return die_ioctl("KVM_GET_ONE_REG(SVE_VLS)");
    v->vls = o->sve_vls_set ? o->sve_vls : vls[0] & MC_QEMU_MAX_VQ_MASK;
    memset(vls, 0, sizeof vls);
    vls[0] = v->vls;
    if (ioctl(v->fd, MC_KVM_SET_ONE_REG, &r) < 0) return die_ioctl("KVM_SET_ONE_REG(SVE_VLS)");
    int what = MC_VCPU_SVE;
    if (ioctl(v->fd, MC_KVM_ARM_VCPU_FINALIZE, &what) < 0) return die_ioctl("KVM_ARM_VCPU_FINALIZE(SVE)");
  }
  struct mc_reg_list probe = { 0 };
  if (ioctl(v->fd, MC_KVM_GET_REG_LIST, &probe) < 0 && errno != E2BIG) return die_ioctl("KVM_GET_REG_LIST");
  v->list = calloc(1, sizeof *v->list + probe.n * sizeof(uint64_t));
  v->cpregs = calloc(probe.n + 1, sizeof(uint64_t));
  v->values = calloc(probe.n + 1, sizeof(uint64_t));
  if (!v->list || !v->cpregs || !v->values) return 1;
  v->list->n = probe.n;
  if (ioctl(v->fd, MC_KVM_GET_REG_LIST, v->list) < 0) return die_ioctl("KVM_GET_REG_LIST");
  for (uint64_t i = 0; i < v->list->n; i++)
    if (syncs_via_cpreg_list(v->list->reg[i])) v->cpregs[v->ncpregs++] = v->list->reg[i];
  qsort(v->cpregs, v->ncpregs, sizeof(uint64_t), cmp_u64);
  for (size_t i = 0; i < v->ncpregs; i++) {
    unsigned size = MC_REG_SIZE(v->cpregs[i]);
    if (size != MC_SIZE_U32 && size != MC_SIZE_U64) {
      /* QEMU aborts here too ("Can't handle size of register in kernel list") */
      fprintf(stderr, "migcheck-kvm-probe: register 0x%016llx has size class %u, which QEMU cannot migrate\n",
              (unsigned long long)v->cpregs[i], size);
      return 1;
    }
    if (get_reg(v->fd, v->cpregs[i], &v->values[i]) < 0) {
      fprintf(stderr, "migcheck-kvm-probe: KVM_GET_ONE_REG(0x%016llx): %s\n", (unsigned long long)v->cpregs[i], strerror(errno));
      return 1;
    }
  }
  return 0;
}

static void print_header(const char *mode, const struct options *o, const struct vcpu *v, int api) {
  struct utsname u;
  if (uname(&u) < 0) strcpy(u.release, "");
  printf("{\n  \"tool\": \"migcheck-kvm-probe\",\n  \"format\": 1,\n  \"mode\": \"%s\",\n  \"apiVersion\": %d,\n", mode, api);
  printf("  \"osrelease\": ");
  json_string(u.release);
  printf(",\n  \"features\": \"%s%s%s%s\",\n", o->features, o->sve ? "" : " no-sve", o->ptrauth ? "" : " no-ptrauth", o->pmu ? "" : " no-pmu");
  printf("  \"target\": %u,\n  \"vcpuFeatures\": [", v->init.target);
  int first = 1;
  static const char *names[] = { [MC_VCPU_PSCI_0_2] = "PSCI_0_2", [MC_VCPU_PMU_V3] = "PMU_V3", [MC_VCPU_SVE] = "SVE",
                                 [MC_VCPU_PTRAUTH_ADDRESS] = "PTRAUTH_ADDRESS", [MC_VCPU_PTRAUTH_GENERIC] = "PTRAUTH_GENERIC" };
  for (unsigned b = 0; b < sizeof names / sizeof names[0]; b++)
    if (names[b] && (v->init.features[0] >> b & 1)) { printf("%s\"%s\"", first ? "" : ", ", names[b]); first = 0; }
  printf("],\n");
  if (v->sve) printf("  \"sveVectorLengths\": \"0x%llx\",\n", (unsigned long long)v->vls);
  print_boot_options();
}

/* ,"writableMasks": {id: mask} for every feature ID register with a nonzero mask, keyed by its
 * KVM_REG_ARM64_SYSREG id; nothing where the kernel has no such ioctl. 0, or 1 with a message. */
static int print_writable_masks(int vm) {
  int ranges = ioctl(vm, MC_KVM_CHECK_EXTENSION, MC_CAP_REG_MASK_RANGES);
  if (ranges <= 0 || !(ranges & 1 << MC_FEATURE_ID_RANGE)) return 0;
  static uint64_t masks[MC_FEATURE_ID_RANGE_SIZE];
  struct mc_reg_mask_range r = { (uint64_t)(uintptr_t)masks, MC_FEATURE_ID_RANGE, { 0 } };
  if (ioctl(vm, MC_KVM_ARM_GET_REG_WRITABLE_MASKS, &r) < 0) return die_ioctl("KVM_ARM_GET_REG_WRITABLE_MASKS");
  printf(",\n  \"writableMasks\": {");
  int first = 1;
  for (unsigned i = 0; i < MC_FEATURE_ID_RANGE_SIZE; i++) {
    if (!masks[i]) continue;
    unsigned op1 = i >> 6 == 2 ? 3 : i >> 6;
    printf("%s\n    \"0x%016llx\": \"0x%llx\"", first ? "" : ",", (unsigned long long)MC_SYSREG(3, op1, 0, (i >> 3) & 7, i & 7), (unsigned long long)masks[i]);
    first = 0;
  }
  printf("\n  }");
  return 0;
}

static int capture(int kvm, int api, const struct options *o) {
  struct vcpu v;
  if (make_vcpu(kvm, o, &v)) return 1;
  print_header("capture", o, &v, api);
  printf("  \"capabilities\": {");
  for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
    printf("%s\n    \"%s\": %d", i ? "," : "", caps[i].name, ioctl(v.vm, MC_KVM_CHECK_EXTENSION, caps[i].cap));
  printf("\n  },\n  \"cpregCount\": %zu,\n  \"regList\": [", v.ncpregs);
  for (uint64_t i = 0; i < v.list->n; i++) printf("%s\n    \"0x%016llx\"", i ? "," : "", (unsigned long long)v.list->reg[i]);
  printf("\n  ],\n  \"values\": {");
  for (size_t i = 0; i < v.ncpregs; i++)
    printf("%s\n    \"0x%016llx\": \"0x%llx\"", i ? "," : "", (unsigned long long)v.cpregs[i], (unsigned long long)v.values[i]);
  printf("\n  }");
  if (print_writable_masks(v.vm)) return 1;
  printf("\n}\n");
  return 0;
}

/* --- replay --------------------------------------------------------------------------- */

struct source {
  uint64_t *ids;       /* the source's cpreg list, sorted */
  uint64_t *values;
  unsigned char *has;  /* a value was sent (captures may leave out the timer counters) */
  size_t n;
  char osrelease[256];
};

static char *read_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (len < cap) break;
    if (cap >= (64u << 20)) { free(buf); buf = NULL; break; } /* no capture is this large */
    char *bigger = realloc(buf, cap * 2 + 1);
    if (!bigger) { free(buf); buf = NULL; break; }
    buf = bigger;
    cap *= 2;
  }
  fclose(f);
  if (buf) buf[len] = 0;
  return buf;
}

/* the text after "key": (this tool's own output, so a scan is enough) */
static const char *after_key(const char *text, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\"", key);
  const char *p = strstr(text, pattern);
  if (!p) return NULL;
  p = strchr(p + strlen(pattern), ':');
  return p ? p + 1 : NULL;
}

/* next "0x..." string before `end`; returns the position after it or NULL */
static const char *next_hex(const char *p, const char *end, uint64_t *out) {
  while (p < end && *p != '"') p++;
  if (p >= end || strncmp(p, "\"0x", 3)) return NULL;
  char *stop;
  errno = 0;
  *out = strtoull(p + 1, &stop, 16);
  if (errno || *stop != '"') return NULL;
  return stop + 1;
}

static int load_source(const char *path, struct source *s) {
  memset(s, 0, sizeof *s);
  char *text = read_file(path);
  if (!text) { fprintf(stderr, "migcheck-kvm-probe: cannot read %s: %s\n", path, strerror(errno)); return 3; }
  const char *bad = NULL;
  const char *rl = after_key(text, "regList"), *vals = after_key(text, "values");
  if (!strstr(text, "\"migcheck-kvm-probe\"")) bad = "not migcheck-kvm-probe output";
  else if (!rl || !vals) bad = "no regList or values";
  const char *rl_end = rl ? strchr(rl, ']') : NULL, *vals_end = vals ? strchr(vals, '}') : NULL;
  if (!bad && (!rl_end || !vals_end)) bad = "truncated";
  if (bad) { fprintf(stderr, "migcheck-kvm-probe: %s: %s\n", path, bad); free(text); return 3; }
  size_t cap = 1;
  for (const char *p = rl; p < rl_end; p++) cap += *p == ',';
  s->ids = calloc(cap, sizeof(uint64_t));
  s->values = calloc(cap, sizeof(uint64_t));
  s->has = calloc(cap, 1);
  if (!s->ids || !s->values || !s->has) { free(text); return 1; }
  uint64_t id;
  for (const char *p = rl; (p = next_hex(p, rl_end, &id)) && s->n < cap;)
    if (syncs_via_cpreg_list(id)) s->ids[s->n++] = id;
  qsort(s->ids, s->n, sizeof(uint64_t), cmp_u64);
  for (const char *p = vals; p && p < vals_end;) {
    uint64_t key, value;
    if (!(p = next_hex(p, vals_end, &key))) break;
    p = strchr(p, ':');
    if (!p || !(p = next_hex(p, vals_end, &value))) { fprintf(stderr, "migcheck-kvm-probe: %s: bad values entry\n", path); free(text); return 3; }
    uint64_t *hit = bsearch(&key, s->ids, s->n, sizeof(uint64_t), cmp_u64);
    if (hit) { s->values[hit - s->ids] = value; s->has[hit - s->ids] = 1; }
  }
  const char *rel = after_key(text, "osrelease");
  if (rel && (rel = strchr(rel, '"'))) {
    size_t k = 0;
    for (rel++; *rel && *rel != '"' && k + 1 < sizeof s->osrelease; rel++) s->osrelease[k++] = *rel;
    s->osrelease[k] = 0;
  }
  free(text);
  return 0;
}

static const char *errno_name(int e) {
  switch (e) {
  case EINVAL: return "EINVAL";
  case EPERM: return "EPERM";
  case E2BIG: return "E2BIG";
  case ENOENT: return "ENOENT";
  case EBUSY: return "EBUSY";
  case EFAULT: return "EFAULT";
  case EACCES: return "EACCES";
  case ENOEXEC: return "ENOEXEC";
  default: return "E?";
  }
}

static int replay(int kvm, int api, const struct options *o) {
  struct source s;
  int rc = load_source(o->replay, &s);
  if (rc) return rc;
  struct vcpu v;
  if (make_vcpu(kvm, o, &v)) return 1;
  /* cpu_post_load: walk both sorted lists; theirs-not-ours fails, ours-not-theirs keeps our value */
  uint64_t *incoming = calloc(v.ncpregs + 1, sizeof(uint64_t));
  if (!incoming) return 1;
  memcpy(incoming, v.values, v.ncpregs * sizeof(uint64_t));
  print_header("replay", o, &v, api);
  printf("  \"source\": ");
  json_string(o->replay);
  printf(",\n  \"sourceOsrelease\": ");
  json_string(s.osrelease);
  printf(",\n  \"sourceCpregs\": %zu,\n  \"destCpregs\": %zu,\n  \"notListed\": [", s.n, v.ncpregs);
  size_t missing = 0;
  for (size_t i = 0; i < s.n; i++) {
    uint64_t *hit = bsearch(&s.ids[i], v.cpregs, v.ncpregs, sizeof(uint64_t), cmp_u64);
    if (!hit) {
      printf("%s\"0x%016llx\"", missing++ ? ", " : "", (unsigned long long)s.ids[i]);
      continue;
    }
    if (s.has[i]) incoming[hit - v.cpregs] = s.values[i];
  }
  /* write_list_to_kvmstate(KVM_PUT_FULL_STATE): every one of ours, in cpreg order */
  printf("],\n  \"refused\": [");
  size_t refused = 0;
  for (size_t i = 0; i < v.ncpregs; i++) {
    if (set_reg(v.fd, v.cpregs[i], incoming[i]) == 0) continue;
    int e = errno;
    printf("%s\n    {\"id\": \"0x%016llx\", \"errno\": %d, \"error\": \"%s\", \"value\": \"0x%llx\", \"destValue\": \"0x%llx\"}",
           refused++ ? "," : "", (unsigned long long)v.cpregs[i], e, errno_name(e), (unsigned long long)incoming[i],
           (unsigned long long)v.values[i]);
  }
  printf("%s],\n  \"result\": \"%s\"\n}\n", refused ? "\n  " : "", missing || refused ? "fail" : "clean");
  return 0;
}
#endif

static int parse_options(int argc, char **argv, struct options *o) {
  *o = (struct options){ "/dev/kvm", NULL, "qemu-7.0", 1, 1, 1, 0, 0 };
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "replay") && !o->replay && i + 1 < argc) o->replay = argv[++i];
    else if (!strcmp(argv[i], "--device") && i + 1 < argc) o->device = argv[++i];
    else if (!strcmp(argv[i], "--features") && i + 1 < argc) {
      o->features = argv[++i];
      if (!strcmp(o->features, "qemu-7.0")) continue;
      else if (!strcmp(o->features, "qemu-5.0")) o->ptrauth = 0;
      else if (!strcmp(o->features, "qemu-4.1")) o->ptrauth = 0, o->sve = 0;
      else return -1;
    } else if (!strcmp(argv[i], "--sve-vls") && i + 1 < argc) {
      char *stop;
      errno = 0;
      o->sve_vls = strtoull(argv[++i], &stop, 0);
      if (errno || *stop || !o->sve_vls || o->sve_vls & ~MC_QEMU_MAX_VQ_MASK) return -1;
      o->sve_vls_set = 1;
    } else if (!strcmp(argv[i], "--no-sve")) o->sve = 0;
    else if (!strcmp(argv[i], "--no-ptrauth")) o->ptrauth = 0;
    else if (!strcmp(argv[i], "--no-pmu")) o->pmu = 0;
    else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    else return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  struct options o;
  int parsed = parse_options(argc, argv, &o);
  if (parsed) { usage(); return parsed > 0 ? 0 : 2; }

  int kvm = open(o.device, O_RDWR | O_CLOEXEC);
  if (kvm < 0) {
    if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
      return fail_unavailable("no KVM on this machine: %s does not exist (is the kvm module loaded, or is this a guest without nested virtualisation?)", o.device);
    if (errno == EACCES || errno == EPERM)
      return fail_unavailable("cannot open %s: permission denied (run as root or as a member of the kvm group)", o.device);
    fprintf(stderr, "migcheck-kvm-probe: cannot open %s: %s\n", o.device, strerror(errno));
    return 2;
  }
#if !defined(__aarch64__)
  close(kvm);
  return fail_unavailable("%s is not arm64 KVM: this helper reads arm64 registers and must run on the arm64 host it describes", o.device);
#else
  int api = ioctl(kvm, MC_KVM_GET_API_VERSION, 0);
  if (api < 0) {
    fprintf(stderr, "migcheck-kvm-probe: KVM_GET_API_VERSION on %s failed: %s (is it really KVM?)\n", o.device, strerror(errno));
    return 2;
  }
  if (api != 12) return fail_unavailable("unexpected KVM API version on %s (want 12)", o.device);
  return o.replay ? replay(kvm, api, &o) : capture(kvm, api, &o);
#endif
}
