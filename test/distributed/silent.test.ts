/**
 * A Redis address that accepts TCP but never answers (or answers with something that never
 * ends), and a Redis that stops answering mid-run (its process stopped: the connections stay
 * open, nothing is refused): the run and the workers end with one line within seconds, never a
 * hang until the peer closes.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import type { Proc } from './cluster';
import { freePort, lrlab, root, startRedis, startWorker, stopAll, tiny } from './cluster';

after(stopAll);

/** A TCP server that takes connections and never answers (`silent`), or answers the first command with a bulk string of 999999999999 bytes that never comes (`bulk`). */
async function fakeRedis(mode: 'silent' | 'bulk' | 'http'): Promise<{ port: number; connected: Promise<void>; close: () => void }> {
  const sockets = new Set<net.Socket>();
  let connected: () => void = () => undefined;
  const firstConnection = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const server = net.createServer((socket) => {
    sockets.add(socket);
    connected();
    socket.on('error', () => undefined);
    if (mode === 'bulk') socket.once('data', () => socket.write('$999999999999\r\nxx'));
    if (mode === 'http') socket.once('data', () => socket.end('<html><body>400 Bad Request</body></html>\r\n'));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    connected: firstConnection,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** Exit code and seconds taken; fails (instead of hanging) after `ms`. */
async function timed(proc: Proc, ms: number): Promise<{ code: number | null; seconds: number }> {
  const t0 = Date.now();
  const code = await proc.code(ms);
  return { code, seconds: (Date.now() - t0) / 1000 };
}

test('a port that accepts the connection but never answers, or answers a bulk string that never ends: one line within seconds', async () => {
  // Both modes at once: each waits out the 5 s answer timeout, so side by side they take the time of one.
  await Promise.all((['silent', 'bulk'] as const).map(async (mode) => {
    const fake = await fakeRedis(mode);
    try {
      const url = `redis://127.0.0.1:${fake.port}`;
      const [run, worker] = [lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', '--redis', url]), lrlab(['worker', '--redis', url])];
      for (const proc of [run, worker]) {
        const { code, seconds } = await timed(proc, 40_000);
        assert.equal(code, 1, proc.out);
        assert.match(proc.out, new RegExp(`^lrlab: Cannot reach Redis at redis://127\\.0\\.0\\.1:${fake.port}: it accepted the connection but sent no Redis answer within 5 s`, 'm'), `${mode}: ${proc.out}`);
        assert.equal(proc.out.trim().split('\n').length, 1, proc.out);
        assert.ok(seconds < 15, `${mode}: ${seconds} s`);
      }
    } finally {
      fake.close();
    }
  }));
});

test('Ctrl-C while a worker is still connecting stops it once it has started (not Node\'s kill: exit 130 and no word); a second Ctrl-C quits at once; SIGTERM quits at once, saying so', async () => {
  const fakes = [await fakeRedis('silent'), await fakeRedis('silent'), await fakeRedis('silent')];
  try {
    const [once, twice, terminated] = fakes.map((fake) => lrlab(['worker', '--redis', `redis://127.0.0.1:${fake.port}`])) as [Proc, Proc, Proc];
    // A connection to the fake means the worker is past its start-up, waiting on Redis.
    await Promise.all(fakes.map((fake) => fake.connected));
    // SIGTERM: no trial to hand back, so it ends at once — as LR Lab's own exit (it read "the model file … called process.exit(143)").
    terminated.child.kill('SIGTERM');
    const ended = await timed(terminated, 10_000);
    assert.equal(ended.code, 143, terminated.out);
    assert.match(terminated.out, /^lrlab worker \S+:\d+: stopped \(SIGTERM\) before it took a trial\.$/m);
    assert.doesNotMatch(terminated.out, /process\.exit/);
    for (const proc of [once, twice]) proc.child.kill('SIGINT');
    for (const proc of [once, twice]) await proc.waitFor(/: stopping as soon as it has started \(Ctrl-C again to quit now\)…/, 10_000);
    twice.child.kill('SIGINT');
    const quit = await timed(twice, 10_000);
    assert.equal(quit.code, 130, twice.out);
    assert.ok(quit.seconds < 3, `${quit.seconds} s`);
    // The one that waited never started: what ends it is the silent address, as without Ctrl-C.
    assert.equal(await once.code(40_000), 1, once.out);
    assert.match(once.out, /Cannot reach Redis at .*sent no Redis answer within 5 s/);
  } finally {
    for (const fake of fakes) fake.close();
  }
});

test('an address where another server answers (HTTP): one line that says it is not a Redis server, not the client\'s "Unknown RESP type 60 … Please report this"', async () => {
  const fake = await fakeRedis('http');
  try {
    const url = `redis://127.0.0.1:${fake.port}`;
    const run = lrlab(['sweep', tiny, '--wd', '0', '--steps', '10', '--redis', url]);
    assert.equal(await run.code(40_000), 1, run.out);
    assert.match(run.out, new RegExp(`^lrlab: Cannot reach Redis at redis://127\\.0\\.0\\.1:${fake.port}: what answered is not a Redis server \\(its reply began with '<', as an HTTP server's does\\)\\.`, 'm'), run.out);
    assert.doesNotMatch(run.out, /RESP|report/);
  } finally {
    fake.close();
  }
});

test('Redis stops answering mid-run (its process stopped): the run and its worker end with a clear error within seconds', async () => {
  const redis = await startRedis();
  const worker = await startWorker(redis.url);
  const slow = path.join(root, 'test', 'fixtures', 'distributed', 'slowClassifier.js');
  const run = lrlab(['sweep', slow, '--wd', '1e-2,1e-3', '--steps', '2000', '--seed', '1', '--redis', redis.url]);
  try {
    await worker.waitFor(/: started/, 90_000);
    redis.proc.child.kill('SIGSTOP');
    const t0 = Date.now();
    assert.equal(await run.code(40_000), 1, run.tail());
    assert.ok((Date.now() - t0) / 1000 < 15, `${(Date.now() - t0) / 1000} s`);
    assert.match(run.out, new RegExp(`lrlab: Lost Redis at redis://127\\.0\\.0\\.1:${redis.port}: it stopped answering \\(no answer within 5 s\\)`));
    assert.equal(await worker.code(40_000), 1, worker.tail());
    assert.match(worker.out, new RegExp(`lost Redis at redis://127\\.0\\.0\\.1:${redis.port}: no answer within 5 s; stopping`));
    assert.ok((Date.now() - t0) / 1000 < 20, `worker: ${(Date.now() - t0) / 1000} s`);
  } finally {
    redis.proc.child.kill('SIGCONT');
  }
});
