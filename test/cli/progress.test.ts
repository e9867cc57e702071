// Progress for long fleet runs: drawn on stderr only when it is a terminal, after a
// delay, rewritten in place and erased at the end; stdout is never touched.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ttyProgress } from '../../src/cli/progress.js';
import { main } from '../../src/cli/main.js';

describe('progress', () => {
  it('draws nothing before the delay, then one line per 100 ms, and erases it when done', () => {
    let t = 0;
    let out = '';
    const p = ttyProgress((s) => (out += s), 400, () => t);
    p.start('matrix', 100);
    p.tick(10);
    expect(out).toBe('');
    t = 500;
    p.tick(10);
    expect(out).toBe('\r\u001b[Kmigcheck: matrix 20/100 (20%)');
    t = 550;
    p.tick(10);
    expect(out.split('\r\u001b[K')).toHaveLength(2);
    p.done();
    expect(out.endsWith('\r\u001b[K')).toBe(true);
  });

  async function run(stderrIsTTY: boolean, ...extra: string[]) {
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, stdoutIsTTY: false, stderrIsTTY, env: {} };
    const code = await main(['fence', '--kernels', 'linux-5.4..linux-6.18', '--vmms', 'qemu-8.2..qemu-11.1', '--format', 'json', ...extra], io);
    return { code, stdout, stderr };
  }

  afterEach(() => vi.restoreAllMocks());

  it('a long run on a terminal shows progress on stderr only; not on a pipe, not with --quiet', async () => {
    // fence is too fast now to outlast the 400 ms delay: a clock that moves 50 ms a reading
    // makes every run "long", so what is drawn depends on the terminal and --quiet alone
    let t = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => (t += 50));
    const tty = await run(true);
    const pipe = await run(false);
    const quiet = await run(true, '--quiet');
    expect(tty.code).toBe(0);
    expect(tty.stdout).toBe(pipe.stdout);
    expect(pipe.stderr).toBe('');
    expect(quiet.stderr).toBe('');
    expect(tty.stderr).toMatch(/^\r\u001b\[Kmigcheck: fence \d+\/\d+ \(\d+%\)[\s\S]*\r\u001b\[K$/);
  }, 60_000);
});
