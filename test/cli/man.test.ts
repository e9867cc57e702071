// Issue 17 item 7: the man page is generated from the help (scripts/man.mjs), ships in the
// package, and lists every command.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { manPage } from '../../src/cli/man.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const page = join(root, 'man', 'migcheck.1');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('man/migcheck.1', () => {
  it('exists, ships, and is what scripts/man.mjs makes of the help (run it after changing help)', () => {
    expect(existsSync(page)).toBe(true);
    expect(pkg.files).toContain('man');
    expect(pkg.man).toContain('man/migcheck.1');
    expect(readFileSync(page, 'utf8')).toBe(manPage(COMMANDS, pkg.version));
  });

  it('has a section for every command, with its options and examples', () => {
    const text = readFileSync(page, 'utf8');
    for (const c of COMMANDS) {
      const name = c.command.split(' ')[0]!;
      expect(text, name).toContain(`.SS ${name.replace(/-/g, '\\-')}\n`);
      for (const opt of Object.keys(c.options ?? {})) expect(text, `${name} --${opt}`).toContain(`\\-\\-${opt.replace(/-/g, '\\-')}`);
    }
    for (const title of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'GLOBAL OPTIONS', 'EXAMPLES', 'ENVIRONMENT']) expect(text).toContain(`.SH ${title}`);
  });

  it.runIf(spawnSync('groff', ['--version']).status === 0)('groff reads it without a warning', () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', page], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
