/**
 * Bad input through the real `lrlab` process: one line on stderr that names the flag and the
 * fix, a non-zero exit, nothing on stdout, no stack trace, no file touched.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { record, standing, table } from './figures';

const bin = path.join(__dirname, '..', '..', 'bin', 'lrlab');

function lrlab(...argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const optionCases: { argv: string[]; flag: string }[] = [
  { argv: ['schedule', 'onecycle', '--max-lr', '0', '--total-steps', '10'], flag: '--max-lr' },
  { argv: ['schedule', 'onecycle', '--max-lr', 'NaN', '--total-steps', '10'], flag: '--max-lr' },
  { argv: ['schedule', 'onecycle', '--max-lr', '-1', '--total-steps', '10'], flag: '--max-lr' },
  { argv: ['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '0'], flag: '--total-steps' },
  { argv: ['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '100', '--steps', '1000000000'], flag: '--steps' },
  { argv: ['schedule', 'triangular', '--max-lr', '0.1', '--steps', '0'], flag: '--steps' },
  { argv: ['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--base-momentum', '0.99'], flag: '--base-momentum' },
  { argv: ['schedule', 'smith', '--max-lr', '0.1', '--min-lr', '1', '--total-steps', '10'], flag: '--min-lr' },
  { argv: ['schedule', 'sawtooth', '--max-lr', '0.1'], flag: 'sawtooth' },
  { argv: ['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--max-lr-typo', '1'], flag: '--max-lr-typo' },
];

for (const c of optionCases) {
  test(`bad option: lrlab ${c.argv.join(' ')}`, () => {
    const r = lrlab(...c.argv);
    const stack = /\n\s+at |\.ts:\d+:\d+/.test(r.stderr);
    if (stack) standing.stackTracesShown++;
    const ok = r.status === 2 && r.stdout === '' && r.stderr.trim().split('\n').length === 1 && r.stderr.includes(c.flag) && !stack;
    record('options', ok);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(c.flag), r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!stack, r.stderr);
  });
}

after(() => {
  process.stdout.write(`\nFault figures (CLI):\n${table()}\n`);
});
