// Issue 17 item 7: `migcheck completion bash|zsh` prints a script that completes commands,
// each command's options and the values of options with choices (exercised in bash).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runEntry } from '../helpers.js';

const script = async (shell: string) => (await runEntry(main as never, ['completion', shell])).stdout;

/** COMPREPLY for a command line typed up to the cursor (the last word is being completed) */
function complete(src: string, line: string[]): string[] {
  const words = ['migcheck', ...line].map((w) => `'${w}'`).join(' ');
  const prog = `${src}\nCOMP_WORDS=(${words}); COMP_CWORD=${line.length}; _migcheck; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', prog], { encoding: 'utf8', cwd: '/' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('completion', () => {
  it('bash: parses, and completes commands, options and choices', async () => {
    const src = await script('bash');
    expect(spawnSync('bash', ['-n'], { input: src }).status).toBe(0);
    expect(complete(src, ['ma'])).toEqual(['matrix']);
    expect(complete(src, ['check', '--f'])).toEqual(expect.arrayContaining(['--from', '--format']));
    expect(complete(src, ['--profiles', '/tmp', 'matrix', '--fail-on', ''])).toEqual(['unsafe', 'fail']);
    expect(complete(src, ['check', '--format', 'j'])).toEqual(['json', 'junit']);
    expect(complete(src, ['schema', 'fl'])).toEqual(['fleet']);
    expect(complete(src, ['fence', '--k'])).toEqual(['--kernels']);
    // pools and its scheduler formats; fleet add
    expect(complete(src, ['po'])).toEqual(['pools']);
    expect(complete(src, ['pools', '--'])).toEqual(expect.arrayContaining(['--fleet', '--guest', '--with-targets', '--apart']));
    expect(complete(src, ['pools', '--format', 'k'])).toEqual(['kubernetes']);
    expect(complete(src, ['pools', '-f', 'o'])).toEqual(['openstack']);
    expect(complete(src, ['fleet', 'a'])).toEqual(expect.arrayContaining(['add']));
  });

  it('zsh: the same completion through bashcompinit', async () => {
    const src = await script('zsh');
    expect(src.startsWith('#compdef migcheck\n')).toBe(true);
    expect(src).toContain('bashcompinit');
    expect(src).toContain('complete -o filenames -F _migcheck migcheck');
  });

  it('an unknown shell is exit 3', async () => {
    expect((await runEntry(main as never, ['completion', 'fish'])).code).toBe(3);
  });
});
