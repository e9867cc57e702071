// The fixture machines (test/fixtures/hosts/<tree>/: /proc, /sys, /boot excerpts and capture/).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'hosts');
export const TREES = ['altra-n1-ubuntu-5.15', 'graviton3-v1-al2023-6.1', 'rk3399-biglittle-debian-6.1'] as const;
