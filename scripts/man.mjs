// Writes man/migcheck.1 from the built CLI's help (src/cli/man.ts); run after `npm run build`.
// test/cli/man.test.ts fails when the page and the help differ.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { COMMANDS, VERSION, manPage } = await import(join(root, 'dist/cli.cjs'));
mkdirSync(join(root, 'man'), { recursive: true });
writeFileSync(join(root, 'man/migcheck.1'), manPage(COMMANDS, VERSION));
