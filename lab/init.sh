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
QCPU=$(opt mc.qcpu)
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
# --qemu-migrate: Debian's arm64 QEMU on this kernel's KVM, a paused guest (-S, no kernel, no
# firmware) saved through the HMP monitor on a FIFO, or loaded with -incoming; QEMU's own words
# go to the console. Poll, never sleep a fixed time: under TCG QEMU takes 20-60 s to start.
# mc.qcpu: the guest's -cpu (default host; host,sve256=on pins vector lengths, on both sides).
QEMU_ARGS="-nodefaults -display none -machine virt,gic-version=3 -accel kvm -cpu ${QCPU:-host} -m 64 -S -monitor stdio"
export LD_LIBRARY_PATH=/lib/aarch64-linux-gnu
qemu_start() { # extra args...
  rm -f /tmp/mon /tmp/q.out /tmp/q.err; mkfifo /tmp/mon
  /usr/bin/qemu-system-aarch64 $QEMU_ARGS "$@" < /tmp/mon > /tmp/q.out 2> /tmp/q.err &
  QPID=$!
  exec 3> /tmp/mon
}
alive() { kill -0 "$QPID" 2>/dev/null; }
wait_out() { # pattern seconds: 0 once QEMU printed it; 1 QEMU gone or too late
  n=0
  while ! grep -q "$1" /tmp/q.out; do
    alive || return 1; [ "$n" -ge "$2" ] && return 1; sleep 1; n=$((n + 1))
  done
}
qemu_stop() { # appends QEMU's exit status and its stderr to /tmp/q.log
  alive && echo quit >&3
  n=0; while alive && [ "$n" -lt 60 ]; do sleep 1; n=$((n + 1)); done
  alive && kill -9 "$QPID"
  exec 3>&-
  wait "$QPID"; echo "exit: $?" >> /tmp/q.log
  sed 's/^/stderr: /' /tmp/q.err >> /tmp/q.log
}
qemu_save() { # -> /tmp/state, /tmp/q.log
  : > /tmp/q.log; rm -f /tmp/state
  qemu_start
  if wait_out '(qemu)' 900; then
    echo 'migrate "exec:cat > /tmp/state"' >&3
    n=0
    while alive && [ "$n" -lt 900 ] && ! grep -q 'Migration status: \(completed\|failed\)' /tmp/q.out; do
      echo 'info migrate' >&3; sleep 2; n=$((n + 2))
    done
  fi
  echo "migration: $(grep 'Migration status' /tmp/q.out | tail -n 1)" >> /tmp/q.log
  qemu_stop
}
qemu_load() { # state file -> /tmp/q.log with "result: clean|fail"
  : > /tmp/q.log
  qemu_start -incoming "exec:cat $1"
  st=
  if wait_out '(qemu)' 900; then
    n=0
    while alive && [ "$n" -lt 900 ]; do
      echo 'info status' >&3; sleep 2; n=$((n + 2))
      st=$(grep 'VM status' /tmp/q.out | tail -n 1)
      case "$st" in ''|*inmigrate*) ;; *) break ;; esac
    done
  fi
  case "$st" in ''|*inmigrate*) r=fail ;; *) alive && r=clean || r=fail ;; esac
  echo "status: $st" >> /tmp/q.log
  qemu_stop
  echo "result: $r" >> /tmp/q.log
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
elif [ "$MODE" = qemu-save ]; then
  # this host's KVM as the helper sees it too: a replay source for the load boots
  run_helper capture/kvm-probe.json
  cp /tmp/out.json /tmp/self.json && run_helper replay/self.json replay /tmp/self.json
  qemu_save
  emit qemu/save.log /tmp/q.log
  [ -s /tmp/state ] && emit qemu/save.state /tmp/state && qemu_load /tmp/state && emit qemu/load/self.log /tmp/q.log
elif [ "$MODE" = qemu-load ]; then
  # the helper's replay of each source's capture (this host's own SVE lengths, as QEMU unpinned)
  # and again with the source's lengths written to KVM_REG_ARM64_SVE_VLS (as a pinned QEMU would)
  for s in /mc/src/*.json; do
    [ -r "$s" ] || continue
    run_helper "replay/${s##*/}" replay "$s"
    vls=$(sed -n 's/.*"sveVectorLengths": "\(0x[0-9a-f]*\)".*/\1/p' "$s")
    [ -n "$vls" ] && run_helper "replay-vls/${s##*/}" replay "$s" --sve-vls "$vls"
  done
  for s in /mc/state/*.state; do
    [ -r "$s" ] || continue
    qemu_load "$s"
    name=${s##*/}
    emit "qemu/load/${name%.state}.log" /tmp/q.log
  done
fi
echo "=====MC-DONE====="
poweroff -f
