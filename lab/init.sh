#!/bin/busybox sh
# /init of the lab's initramfs: runs the helper under the emulated machine's real KVM and
# sends every result over the serial console as base64 between marker lines (the host
# decodes them). mc.mode=capture|replay and mc.features=... come from the kernel command line.
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
opt() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
MODE=$(opt mc.mode)
FEATURES=$(opt mc.features)
emit() { # name file
  echo "=====MC-BEGIN $1====="
  base64 "$2"
  echo "=====MC-END $1====="
}
run_helper() { # name args...
  name=$1; shift
  /mc/migcheck-kvm-probe --features "${FEATURES:-qemu-7.0}" "$@" > /tmp/out.json 2> /tmp/err.txt
  echo $? > /tmp/rc.txt
  emit "$name" /tmp/out.json
  emit "$name.stderr" /tmp/err.txt
  emit "$name.rc" /tmp/rc.txt
}
echo "=====MC-START====="
if [ "$MODE" = capture ]; then
  run_helper capture/kvm-probe.json
  for f in /proc/sys/kernel/osrelease /proc/version /proc/cmdline \
           /sys/devices/system/cpu/cpu0/regs/identification/midr_el1 \
           /sys/devices/system/cpu/cpu0/regs/identification/revidr_el1 \
           /sys/devices/system/cpu/vulnerabilities/*; do
    [ -r "$f" ] && cat "$f" > /tmp/f 2>/dev/null && emit "tree$f" /tmp/f
  done
  dmesg > /tmp/dmesg.txt
  emit dmesg /tmp/dmesg.txt
elif [ "$MODE" = replay ]; then
  for s in /mc/src/*.json; do
    run_helper "replay/${s##*/}" replay "$s"
  done
fi
echo "=====MC-DONE====="
poweroff -f
