import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { built } from '../built';
import { runCli } from '../../src/engine/cli/main';
import type { CliIo } from '../../src/engine/cli/io';
import { flagSpec, parseFlags } from '../../src/engine/cli/args';
import { commonFieldsFromFlags } from '../../src/engine/cli/common';
import { learningRateInput, parseDuration } from '../../src/protocol/optionRules';
import type { ScheduleResult } from '../../src/protocol/results';

const root = path.join(__dirname, '..', '..');
const tiny = path.join(root, 'test', 'fixtures', 'engine', 'tinyClassifier.js');

function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false };
}

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

test('schedule --json prints exactly { policy, steps: [{ step, lr, momentum }] }', async () => {
  const { code, stdout } = await run('schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '100', '--json');
  assert.equal(code, 0);
  const doc = JSON.parse(stdout) as ScheduleResult;
  assert.deepEqual(Object.keys(doc), ['policy', 'steps']);
  assert.equal(doc.policy, 'onecycle');
  assert.equal(doc.steps.length, 100);
  for (const row of doc.steps) assert.deepEqual(Object.keys(row), ['step', 'lr', 'momentum']);
  assert.ok(Math.abs(doc.steps[0]!.lr - 0.004) < 1e-15);
});

test('--steps prints a different number of rows than --total-steps (holding past the end)', async () => {
  const { stdout } = await run('schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--steps', '12', '--json');
  const doc = JSON.parse(stdout) as ScheduleResult;
  assert.equal(doc.steps.length, 12);
  assert.deepEqual({ ...doc.steps[11], step: 9 }, doc.steps[9]);
});

test('cyclic policies need --steps (or --total-steps, the run\'s length); with it they cycle', async () => {
  const missing = await run('schedule', 'triangular', '--max-lr', '0.006', '--base-lr', '0.001', '--json');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--steps is required for triangular/);
  const ok = await run('schedule', 'triangular', '--max-lr', '0.006', '--base-lr', '0.001', '--step-size-up', '5', '--steps', '11', '--json');
  const doc = JSON.parse(ok.stdout) as ScheduleResult;
  assert.equal(doc.steps[5]!.lr, 0.006);
  assert.equal(doc.steps[10]!.lr, 0.001);
  // --steps' default is --total-steps, for a cyclic policy too (it said --steps was required).
  const total = await run('schedule', 'triangular', '--max-lr', '0.006', '--base-lr', '0.001', '--step-size-up', '5', '--total-steps', '11', '--json');
  assert.equal(total.code, 0, total.stderr);
  assert.deepEqual(JSON.parse(total.stdout), doc);
});

test('human output draws both curves', async () => {
  const { code, stdout } = await run('schedule', 'smith', '--max-lr', '1', '--total-steps', '101');
  assert.equal(code, 0);
  assert.match(stdout, /^smith: 101 steps of 101/);
  assert.match(stdout, /peak 1 at step 45 {2}end 1e-4/);
  assert.match(stdout, /momentum {2}start 0\.950 {2}min 0\.850/);
  assert.match(stdout, /[╭╮╰╯]/);
});

test('bad input: one line on stderr naming the flag, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['schedule', 'onecycle', '--max-lr', 'abc', '--total-steps', '10'], /--max-lr must be a number, got 'abc'/],
    [['schedule', 'onecycle', '--max-lr', '-0.1', '--total-steps', '10'], /--max-lr must be greater than 0/],
    [['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '1'], /--total-steps must be a whole number of at least 2/],
    [['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--pct-start', '1.5'], /--pct-start must be between 0 and 1/],
    [['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--bogus'], /Unknown option '--bogus'/],
    [['schedule', 'wiggle', '--max-lr', '0.1'], /Unknown schedule policy 'wiggle'/],
    [['schedule'], /needs a policy/],
    [['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '10', '--anneal', 'cubic'], /--anneal must be one of cos, linear/],
    [['schedule', 'constant', '--lr', '0.1', '--steps', '1000000000'], /--steps must be between 1 and 1000000 to print/],
    // No --steps: the rows are the schedule's --total-steps, and the message names that flag.
    [['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '1000000000'], /--total-steps must be between 2 and 1000000 to print, got 1000000000\. Give --steps N to print the first N steps/],
    // Below the smallest double: said as typed, not "got 0".
    [['schedule', 'onecycle', '--max-lr', '1e-400', '--total-steps', '10'], /^lrlab: --max-lr 1e-400 is below the smallest number LR Lab can hold \(about 5e-324\): it reads as 0\. Give a value of 1e-30 or more\./],
    // float32's range, as --start-lr's and --end-lr's: 1e-310 trained at LR 0 and failed here with "internal error: Invalid array length"; 1e40 trained at Infinity.
    [['schedule', 'onecycle', '--max-lr', '1e-310', '--total-steps', '5'], /^lrlab: --max-lr must be between 1e-30 and 1e\+30, got 1e-310\.$/],
    [['schedule', 'smith', '--max-lr', '1e40', '--total-steps', '5'], /^lrlab: --max-lr must be between 1e-30 and 1e\+30, got 1e\+40\.$/],
    [['schedule', 'smith', '--max-lr', '0.1', '--min-lr', '1e-35', '--total-steps', '5'], /^lrlab: --min-lr must be between 1e-30 and 1e\+30, got 1e-35\.$/],
    [['train', tiny, '--max-lr', '1e-310'], /^lrlab: --max-lr must be between 1e-30 and 1e\+30, got 1e-310\.$/],
    [['train', tiny, '--policy', 'constant', '--lr', '1e40'], /^lrlab: --lr must be between 1e-30 and 1e\+30, got 1e\+40\.$/],
    // Divisors below 1 started the schedule above its max LR (0.5) or at Infinity (1e-310); one that large, below float32's range.
    [['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '5', '--div-factor', '0.5'], /^lrlab: --div-factor must be at least 1, got 0\.5: the start LR is --max-lr ÷ it, so below 1 the schedule would start above --max-lr\.$/],
    [['schedule', 'smith', '--max-lr', '0.1', '--total-steps', '5', '--annihilation-div', '1e-320'], /^lrlab: --annihilation-div must be at least 1, got 1e-320: the final LR is --min-lr ÷ it, so below 1 the annihilation would raise the LR instead of lowering it\.$/],
    [['train', tiny, '--policy', 'fastai', '--max-lr', '0.1', '--final-div-factor', '0.5'], /^lrlab: --final-div-factor must be at least 1, got 0\.5: fastai's final LR is --max-lr ÷ it/],
    [['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '5', '--final-div-factor', '1e40'], /^lrlab: --final-div-factor 1e40 makes the final LR 4e-43 \(--max-lr 0\.1 ÷ --div-factor 25 ÷ --final-div-factor 1e40\), below float32's smallest normal number, 1\.2e-38: .* Give --final-div-factor 3\.4e35 or less\.$/],
    // A bad value before "--max-lr is required": its find-lr command repeated --batch-size 0, which fails in turn.
    [['train', tiny, '--batch-size', '0'], /^lrlab: --batch-size must be a whole number ≥ 1, got 0\.$/],
    [['train', tiny, '--policy', 'onecycle', '--div-factor', '0.5'], /^lrlab: --div-factor must be at least 1, got 0\.5/],
    // Options a policy would ignore, from a user trial: gamma is exp_range's alone; bounds of a cycle turned off; two constant LRs.
    [['schedule', 'triangular', '--max-lr', '0.1', '--steps', '4', '--step-size-up', '1', '--gamma', '0.5'], /^lrlab: --gamma does not apply to the triangular policy: only exp_range uses it\./],
    [['schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '3', '--no-cycle-momentum', '--base-momentum', '0.8'], /^lrlab: --base-momentum bounds the momentum cycle that --no-cycle-momentum turns off\. To hold momentum constant give --no-cycle-momentum with --momentum M/],
    [['schedule', 'constant', '--lr', '0.1', '--max-lr', '0.2', '--steps', '3'], /^lrlab: The constant policy holds one LR: --lr 0\.1 and --max-lr 0\.2 are both given\. Give only --lr\./],
    // Neither study's values: what to give, with the momentum study's defaults (its help lists them); both: not both.
    [['sweep', 'examples/tabular-csv/model.json', '--data', 'examples/tabular-csv/iris.csv', '--label', 'species', '--short-runs', '--max-lr', '0.1'], /^lrlab: --short-runs needs the values to compare: --momentum 0\.99,0\.97,0\.95,0\.9 \(constant momenta against cyclical 0\.95→0\.85, the momentum study's default\) or --wd values \(e\.g\. --wd 1e-2,1e-3,1e-4\), one of the two\./],
    [['sweep', 'examples/tabular-csv/model.json', '--data', 'examples/tabular-csv/iris.csv', '--label', 'species', '--short-runs', '--max-lr', '0.1', '--wd', '1e-3', '--momentum', '0.9'], /--short-runs compares one thing at a time: give --momentum values or --wd values, not both\./],
    // The range tests' options with --short-runs were taken and ignored (--dropout 0,0.2 beside --wd compared weight decays alone).
    [['sweep', 'examples/tabular-csv/model.json', '--data', 'examples/tabular-csv/iris.csv', '--label', 'species', '--short-runs', '--max-lr', '0.1', '--wd', '1e-3,1e-4', '--dropout', '0,0.2'], /^lrlab: --dropout compares dropouts by range tests, one per value \(lrlab sweep without --short-runs\); short runs compare --momentum or --wd values and would ignore it\. Drop --short-runs to compare the dropouts, or drop --dropout\.$/],
    [['sweep', 'examples/tabular-csv/model.json', '--data', 'examples/tabular-csv/iris.csv', '--label', 'species', '--short-runs', '--max-lr', '0.1', '--dropout', '0,0.2'], /^lrlab: --dropout compares dropouts by range tests/],
    [['sweep', 'examples/tabular-csv/model.json', '--data', 'examples/tabular-csv/iris.csv', '--label', 'species', '--short-runs', '--max-lr', '0.1', '--wd', '1e-3,1e-4', '--start-lr', '1e-5'], /^lrlab: --start-lr is an option of the range tests \(lrlab sweep without --short-runs\); short runs train with 1cycle at --max-lr and would ignore it\. Drop --start-lr, or --short-runs\.$/],
    [['sweep', 'examples/tabular-csv/model.json', '--data', 'examples/tabular-csv/iris.csv', '--label', 'species', '--short-runs', '--max-lr', '0.1', '--momentum', '0.9,0.95', '--smoothing', '0.9'], /^lrlab: --smoothing is an option of the range tests/],
  ];
  for (const [argv, pattern] of cases) {
    const { code, stdout, stderr } = await run(...argv);
    assert.equal(code, 2, argv.join(' '));
    assert.equal(stdout, '');
    assert.match(stderr, pattern, argv.join(' '));
    assert.equal(stderr.split('\n').length, 1, `one line: ${stderr}`);
    assert.doesNotMatch(stderr, /\bat .*\.ts:\d+/, 'no stack trace');
  }
});

test('schedule draws every length it prints, up to 1,000,000 rows (150,000 failed with "internal error: Maximum call stack size exceeded")', async () => {
  for (const argv of [['onecycle', '--max-lr', '0.1', '--total-steps', '1000000'], ['triangular', '--max-lr', '0.1', '--steps', '300000']]) {
    const { code, stdout, stderr } = await run('schedule', ...argv);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /momentum {2}start 0\.\d{3} {2}min 0\.\d{3}/, argv.join(' '));
    // A curve; or, where each column spans a whole cycle or more (300,000 steps of 4,000-step cycles), the band they fill.
    assert.match(stdout, argv[0] === 'onecycle' ? /[╭╮╰╯]/ : /┼─{59}/);
  }
});

test('unknown command and help', async () => {
  assert.equal((await run('frobnicate')).code, 2);
  // --json: the version as one JSON document; help is text (it read "unknown command '--json'").
  assert.deepEqual(JSON.parse((await run('version', '--json')).stdout), { name: 'lrlab', version: JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version });
  assert.equal((await run('help', '--json')).code, 0);
  const help = await run('help', 'schedule');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--final-div-factor/);
  // Object's own property names are no commands: `lrlab constructor` ran Object and exited 0, silently.
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const odd = await run(name);
    assert.equal(odd.code, 2, name);
    assert.match(odd.stderr, new RegExp(`unknown command '${name}'`), name);
    assert.equal((await run('help', name)).code, 2, `help ${name}`);
  }
  // `help` and `version` are listed as commands: `lrlab help help` read "unknown command".
  assert.equal((await run('help', 'help')).code, 0);
  const versionHelp = await run('help', 'version');
  assert.equal(versionHelp.code, 0);
  assert.match(versionHelp.stdout, /^lrlab version \[--json\]/);
});

test('an unknown option names the closest option of that command and how to list them; exit code 2', async () => {
  const typo = await run('schedule', 'constant', '--lr', '0.1', '--step', '10');
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /Unknown option '--step'\. Did you mean `--steps`\? .*Run `lrlab help schedule` for its options\./);
  assert.equal(typo.stderr.split('\n').length, 1);
  // Options of another command are not suggested: find-lr has --steps, train does not.
  assert.match((await run('find-lr', 'm.js', '--step', '10')).stderr, /Did you mean `--steps`\?/);
  assert.doesNotMatch((await run('train', 'm.js', '--step', '10')).stderr, /Did you mean `--steps`/);
  // Nothing close: no guess.
  const far = await run('schedule', 'onecycle', '--zzzzzz');
  assert.equal(far.code, 2);
  assert.doesNotMatch(far.stderr, /Did you mean/);
  const command = await run('find-rl');
  assert.equal(command.code, 2);
  assert.match(command.stderr, /unknown command 'find-rl'\. Did you mean `find-lr`\?/);
});

test('lrlab help <command> prints its options as --help does; lrlab help lists commands and says how to get options', async () => {
  for (const name of ['find-lr', 'sweep', 'train', 'batch-size', 'recipe', 'schedule']) {
    const help = await run('help', name);
    assert.equal(help.code, 0, name);
    assert.equal(help.stdout, (await run(name, '--help')).stdout, name);
    assert.match(help.stdout, /^Options/m, name);
  }
  assert.match((await run('help', 'train')).stdout, /--max-lr/);
  const list = await run('help');
  assert.equal(list.code, 0);
  assert.match(list.stdout, /find-lr <model>/);
  assert.match(list.stdout, /lrlab help <command>/);
  assert.equal((await run('help', 'frob')).code, 2);
});

test('help gives an integer option\'s bounds (--range-retries 0 to 2 was said only when refused), and train lists --lr with its own default (model.compile\'s LR, not schedule\'s --max-lr)', async () => {
  const flat = (text: string): string => text.replace(/\n {27}/g, ' ');
  const findLr = flat((await run('find-lr', '--help')).stdout);
  assert.match(findLr, /--range-retries N +Range tests to run again[^\n]* 0: never\. From 0 to 2\. Default: 1\./);
  assert.match(findLr, /--trial-seeds N [^\n]* From 1 to 5\. Default: 2\./);
  assert.doesNotMatch(findLr, /--batch-size N [^\n]* From /, 'no upper bound, no bounds line');
  const train = flat((await run('train', '--help')).stdout);
  assert.match(train, /--lr X +LR of the constant policy\. Default: from model\.compile, else --max-lr\./);
  assert.match(train, /--epochs N +Epochs of training\. From 1 to 10000\. Default: 5\./);
  assert.match(flat((await run('schedule', '--help')).stdout), /--lr X +LR of the constant policy\. Default: --max-lr\./);
});

test('the built bin/lrlab runs the bundled engine as a real process', () => {
  built('engine.js');
  const ok = spawnSync(process.execPath, [path.join(root, 'bin', 'lrlab'), 'schedule', 'onecycle', '--max-lr', '0.1', '--total-steps', '100', '--json'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as ScheduleResult).steps.length, 100);
  const bad = spawnSync(process.execPath, [path.join(root, 'bin', 'lrlab'), 'schedule', 'onecycle', '--max-lr', 'x'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^lrlab: --max-lr must be a number/);
});

test('--fit-timeout reaches the request of every command that loads a model (a training script may need more than 120 s to reach fit)', () => {
  for (const command of ['find-lr', 'sweep', 'train', 'batch-size', 'recipe'] as const) {
    const args = parseFlags(['train.js', '--fit-timeout', '5m'], flagSpec(command), command);
    assert.equal(commonFieldsFromFlags(args, command).fitTimeout, 300, command);
    assert.equal(commonFieldsFromFlags(parseFlags(['train.js'], flagSpec(command), command), command).fitTimeout, undefined, `${command}: unset stays unset (the engine's 120 s)`);
  }
});

test('a flag given twice whose second value was forgotten names the word after the second; a pasted dash flag with =value names the option, not "maxLr=0.1"', () => {
  const failure = (argv: string[], command: 'train' | 'find-lr'): { option: string; message: string } => {
    try {
      parseFlags(argv, flagSpec(command), command);
    } catch (error) {
      return error as { option: string; message: string };
    }
    throw new Error(`accepted: ${argv.join(' ')}`);
  };
  // It named the first occurrence's value ('0.1') as the option that followed.
  const twice = failure(['model.js', '--max-lr', '0.1', '--epochs', '2', '--max-lr', '--seed', '1'], 'train');
  assert.match(twice.message, /^--max-lr needs a value \(--max-lr X\), and the word after it, '--seed', is an option\.$/);
  const pasted = failure(['model.js', '—end-lr=3'], 'find-lr');
  assert.equal(pasted.option, 'endLr');
  assert.match(pasted.message, /type it as --end-lr=3\.$/);
});

test('durations (--budget, the editor\'s budget box): units spelled as people write them, compound ones, and only positive ones', () => {
  const read = (text: string): number | undefined => parseDuration(text);
  // "1m30s", "30sec" and "1ms" read "must be a positive duration" before.
  for (const [text, seconds] of [['90', 90], ['90s', 90], ['5m', 300], ['1.5h', 5400], ['1m30s', 90], ['1h 30min', 5400], ['500ms', 0.5], ['30sec', 30], ['10 seconds', 10], [' 2 h ', 7200]] as const) {
    assert.equal(read(text), seconds, text);
  }
  for (const text of ['0', '0s', 'abc', '1m30', '', '1e3', '-5s', '1.2.3s', '1x', '1constructor', 'toString']) assert.equal(read(text), undefined, text);
  // Largest unit first, each once: "5h5h" read as 10 h and "10s5m" as 5 min 10 s.
  for (const text of ['5h5h', '10s5m', '1m1m', '30s1h', '500ms1s']) assert.equal(read(text), undefined, text);
  assert.equal(read('1h30m15s'), 5415);
});

test('the editor\'s learning-rate input box takes what the engine takes, 1e-30 to 1e30 (it took 1e-35 and 1e40, which the engine refused naming --max-lr)', () => {
  for (const ok of ['0.1', '3e-4', '1e-30', '1e30', ' 2 ']) assert.equal(learningRateInput(ok), undefined, ok);
  for (const bad of ['', 'abc', '0', '-1', '1e-35', '1e40', 'Infinity']) assert.equal(learningRateInput(bad), 'Enter a learning rate from 1e-30 to 1e30 (tfjs computes in float32), e.g. 0.1', bad);
});

test("a worker's bad LRLAB_REDIS_URL is named as that variable, not --redis (which was never given)", async () => {
  const before = process.env['LRLAB_REDIS_URL'];
  process.env['LRLAB_REDIS_URL'] = 'http://127.0.0.1:6379';
  try {
    const env = await run('worker');
    assert.equal(env.code, 2);
    assert.match(env.stderr, /^lrlab: LRLAB_REDIS_URL must be a Redis URL like .*'http:\/\/127\.0\.0\.1:6379' has the scheme 'http'/);
    const flag = await run('worker', '--redis', 'http://127.0.0.1:6379');
    assert.match(flag.stderr, /^lrlab: --redis must be a Redis URL like /);
  } finally {
    if (before === undefined) delete process.env['LRLAB_REDIS_URL'];
    else process.env['LRLAB_REDIS_URL'] = before;
  }
});
