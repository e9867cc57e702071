// A report in pieces (matrix json, html) waits for a slow stdout to drain between pieces, instead
// of queueing the rest of itself in memory; an error while making a piece is the renderer's.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Context, type Io } from '../../src/cli/context.js';

function slowOut() {
  const got: string[] = [];
  let most = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk, _enc, done) {
      got.push(String(chunk));
      setTimeout(done, 1);
    },
  });
  const write = out.write.bind(out);
  out.write = ((s: string) => {
    const r = write(s);
    most = Math.max(most, out.writableLength);
    return r;
  }) as typeof out.write;
  return { out, got, most: () => most };
}

const io = (stdout: Io['stdout']): Io => ({ stdout, stderr: { write: () => true }, stdoutIsTTY: false, env: {} });

describe('emit of a report in pieces', () => {
  it('holds at most about one piece past the high-water mark of a slow stream', async () => {
    const { out, got, most } = slowOut();
    const pieces = function* () {
      for (let i = 0; i < 100; i++) yield `${String(i).padStart(3, '0')}${'x'.repeat(997)}`;
    };
    await new Context(io(out), { format: 'json' }).emit(pieces());
    await new Promise<void>((done) => out.end(done));
    expect(got.join('').length).toBe(100_000);
    expect(got.join('').slice(0, 3)).toBe('000');
    expect(most()).toBeLessThanOrEqual(2000);
  });

  it('waits on the stream an fd writer handed the rest to (pending)', async () => {
    const { out, got, most } = slowOut();
    const writer = { write: (s: string) => out.write(s), pending: out };
    const pieces = function* () {
      for (let i = 0; i < 50; i++) yield 'y'.repeat(1000);
    };
    await new Context(io(writer), { format: 'html' }).emit(pieces());
    await new Promise<void>((done) => out.end(done));
    expect(got.join('')).toBe('y'.repeat(50_000));
    expect(most()).toBeLessThanOrEqual(2000);
  });

  it("passes a renderer's error on as itself", async () => {
    const { out } = slowOut();
    const boom = new Error('boom');
    const pieces = function* () {
      yield '{';
      throw boom;
    };
    await expect(new Context(io(out), { format: 'json' }).emit(pieces())).rejects.toBe(boom);
  });
});
