/**
 * A slow link to Redis: a model bundle of megabytes must cross it both ways (the run stores it,
 * the worker reads it) while every command keeps the 5 s timeout that makes a silent Redis an
 * error. One SET of the bundle outlasted that timeout (and the connection's ping queued behind it
 * said Redis had gone silent); pieces of about a second each do not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SweepResult } from '../../src/protocol/results';
import type { RedisServer } from './cluster';
import { json, lrlab, startRedis, stopAll, tempFolder, throttledProxy, tiny, workersFor } from './cluster';

let redis: RedisServer;
before(async () => {
  redis = await startRedis();
});
after(stopAll);

/** Bytes per second each way on each connection: a 1 MB bundle takes ~7 s to cross, above the 5 s command timeout. */
const RATE = 150 * 1024;

test('a 1 MB model bundle over a 150 KB/s link: the run stores it and the worker reads it in pieces, and the trial runs (one SET took longer than the command timeout)', async (t) => {
  const link = await throttledProxy(redis.port, RATE);
  t.after(() => link.close());
  // The tiny classifier, carrying 1 MB of incompressible text the bundler must ship with it.
  const project = tempFolder('lrlab-big-model-');
  writeFileSync(path.join(project, 'padding.js'), `module.exports = ${JSON.stringify(randomBytes(768 * 1024).toString('base64'))};\n`);
  writeFileSync(path.join(project, 'model.js'), `if (require('./padding.js').length < 1) throw new Error('no padding');\nmodule.exports = require(${JSON.stringify(tiny)});\n`);

  const [worker] = await workersFor(t, link.url, 1);
  const t0 = Date.now();
  const run = lrlab(['sweep', path.join(project, 'model.js'), '--wd', '0', '--steps', '20', '--seed', '1', '--json', '--redis', link.url]);
  const result = await json<SweepResult>(run, 180_000);
  t.diagnostic(`sweep over the slow link: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.deepEqual(result.curves.map((c) => [c.label, c.worker, c.points.length > 0]), [['wd 0', /lrlab worker (\S+):/.exec(worker!.out)?.[1], true]]);
  assert.doesNotMatch(run.out + worker!.out, /no answer|stopped answering|Lost Redis|lost Redis/);
});
