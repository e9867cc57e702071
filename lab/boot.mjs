// One boot under TCG with EL2: the kernel, the initramfs, results over the serial console.
// Every boot has a timeout; the console is kept so a failing boot can show its tail.
import { spawn } from 'node:child_process';

export function qemuArgs({ emu, cpu, kernel, initrd, append, memory = 1024 }) {
  return [
    ...emu.args,
    '-machine', 'virt,virtualization=on,gic-version=3', '-cpu', cpu, '-smp', '1', '-m', String(memory),
    '-nographic', '-no-reboot', '-nic', 'none', // -nic none: no efi-virtio.rom needed
    '-kernel', kernel, '-initrd', initrd,
    '-append', `console=ttyAMA0 rdinit=/init panic=-1 quiet loglevel=1 ${append}`,
  ];
}

/** -> { ok, seconds, blocks: Map(name -> Buffer), console, why } */
export function boot(opts, timeoutMs) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(opts.emu.bin, qemuArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'], env: opts.emu.env });
    let out = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const text = out.replace(/\r/g, '');
      const blocks = parseBlocks(text);
      const done = text.includes('=====MC-DONE=====');
      const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : !done ? `emulator exited (${code}) before the lab finished` : undefined;
      resolve({ ok: done && !timedOut, seconds, blocks, console: text, why });
    });
  });
}

export function parseBlocks(text) {
  const blocks = new Map();
  let name, lines;
  for (const line of text.split('\n')) {
    const begin = /^=====MC-BEGIN (.+)=====$/.exec(line);
    if (begin) {
      name = begin[1];
      lines = [];
      continue;
    }
    if (name && line === `=====MC-END ${name}=====`) {
      blocks.set(name, Buffer.from(lines.join(''), 'base64'));
      name = undefined;
      continue;
    }
    // kernel messages may interleave with the console: keep only base64 lines
    if (name && /^[A-Za-z0-9+/=]+$/.test(line)) lines.push(line);
  }
  return blocks;
}

export const tail = (text, n = 25) => text.split('\n').slice(-n).join('\n');
