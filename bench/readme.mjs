// Regenerate the benchmark tables in README.md (between the bench:startup, bench:fleet and
// bench:slow markers) from bench/startup.mjs, bench/fleet.mjs and bench/slow-inputs.mjs. Run: npm run bench [-- runs]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = process.argv[2] ?? '15';
const run = (script, ...args) => execFileSync(process.execPath, [join(root, 'bench', script), ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

const sections = {
  startup: run('startup.mjs', runs),
  fleet: run('fleet.mjs', String(Math.max(3, Math.round(Number(runs) / 5)))),
  slow: run('slow-inputs.mjs', String(Math.max(3, Math.round(Number(runs) / 5)))),
};
let readme = readFileSync(join(root, 'README.md'), 'utf8');
for (const [name, table] of Object.entries(sections)) {
  const re = new RegExp(`(<!-- bench:${name} -->\\n)(?:[\\s\\S]*?\\n)?(<!-- /bench:${name} -->)`);
  if (!re.test(readme)) throw new Error(`README.md has no <!-- bench:${name} --> … <!-- /bench:${name} --> block`);
  readme = readme.replace(re, `$1${table}\n$2`);
  console.log(table, '\n');
}
writeFileSync(join(root, 'README.md'), readme);
console.log('README.md updated');
