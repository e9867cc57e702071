// The fast `check`'s stdout and stderr without process.stdout / process.stderr: making those
// loads Node's stream modules (~5-8 ms of the gate's start-up). A file, a pipe, a socket or
// /dev/null is written with fs.writeSync, which is what Node's own stream does for a file
// and, synchronously, for a pipe; a terminal (or anything else) gets the process's stream.
// Errors end as the streams' do (bin/migcheck): stdout's through the same handler (EPIPE:
// quietly gone; anything else: one line and exit 3), stderr's ignored; after one, nothing
// more is written there. A pipe whose reader is slow (EAGAIN on a non-blocking pipe) gets
// the rest through the stream, in order. test/cli/fd-io.test.ts holds every kind of output
// to the same bytes and exit codes as the full CLI's streams.
'use strict';
const { fstatSync, statSync, writeSync } = require('node:fs');

/** true when fd is not a terminal: a regular file, pipe, socket, or /dev/null itself */
function plain(fd) {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return true;
    const devNull = statSync('/dev/null');
    return st.rdev === devNull.rdev && st.ino === devNull.ino && st.dev === devNull.dev;
  } catch {
    return false;
  }
}

/** fd's writer; `write` is fs.writeSync (a test passes its own to reach EAGAIN and partial writes) */
function writer(fd, stream, onError, write = writeSync) {
  let done = false; // failed or gone: as a destroyed stream, nothing more arrives
  let viaStream = false;
  return {
    write(s) {
      if (viaStream) return stream().write(s);
      if (done) return false;
      const bytes = Buffer.from(s, 'utf8');
      let off = 0;
      try {
        while (off < bytes.length) off += write(fd, bytes, off, bytes.length - off);
      } catch (err) {
        if (err.code === 'EAGAIN') {
          viaStream = true;
          return stream().write(bytes.subarray(off));
        }
        done = true;
        onError(err);
        return false;
      }
      return true;
    },
  };
}

/** The Io for fastCheck (src/cli/context.ts); `streams()` returns process with its streams' error handlers set. */
function fdIo(streams, stdoutError) {
  const outPlain = plain(1);
  const errPlain = plain(2);
  return {
    stdout: outPlain ? writer(1, () => streams().stdout, stdoutError) : streams().stdout,
    stderr: errPlain ? writer(2, () => streams().stderr, () => {}) : streams().stderr,
    stdoutIsTTY: outPlain ? false : Boolean(streams().stdout.isTTY),
    stderrIsTTY: errPlain ? false : Boolean(streams().stderr.isTTY),
    env: process.env,
  };
}

module.exports = { fdIo, plain, writer };
