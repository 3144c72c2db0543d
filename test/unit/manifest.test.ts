import { test } from 'node:test';
import { MAX_SHORT_RUN_STEPS } from '../../src/core/decisions';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../src/protocol/commandIds';
import { OVERRIDABLE, explicitValue, inSettingTerms, parseOverrides, resultInSettingTerms, settingTypeError } from '../../src/extension/settings';
import { LrLabError, OptionError } from '../../src/protocol/errors';
import type { CommandName } from '../../src/protocol/options';
import { OPTIONS, OPTION_NAMES, flagFor, optionsOf, settingNames, settingsOf, specOf } from '../../src/protocol/options';
import { checkLrTrials, settingSchema, settingValue } from '../../src/protocol/optionRules';

interface Manifest {
  name: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: { commands: { command: string; category?: string }[]; configuration: { title: string; properties: Record<string, Record<string, unknown>> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  optionalDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bin: Record<string, string>;
}
const manifestFile = path.join(__dirname, '..', '..', 'package.json');
const manifestText = readFileSync(manifestFile, 'utf8');
const manifest = JSON.parse(manifestText) as Manifest;

test('contributed commands and the code command table agree', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(COMMANDS).sort());
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'LR Lab');
});

test('activation is on specific events, never *', () => {
  assert.ok(!manifest.activationEvents.includes('*'));
  for (const id of Object.values(COMMANDS)) assert.ok(manifest.activationEvents.includes(`onCommand:${id}`), id);
});

test('runs in code-server 4.100.3 (engines.vscode ≤ 1.100) and types are pinned to it', () => {
  const min = /^\^?(\d+)\.(\d+)/.exec(manifest.engines.vscode);
  assert.ok(min !== null);
  assert.ok(Number(min[1]) === 1 && Number(min[2]) <= 100, manifest.engines.vscode);
  assert.equal(manifest.devDependencies['@types/vscode'], `${min[1]}.${min[2]}.0`);
});

test('tfjs-node is optional; the wasm backend is a real dependency; lrlab bin exists', () => {
  assert.ok(manifest.optionalDependencies['@tensorflow/tfjs-node'] !== undefined);
  assert.equal(manifest.dependencies['@tensorflow/tfjs-node'], undefined);
  assert.ok(manifest.dependencies['@tensorflow/tfjs-backend-wasm'] !== undefined);
  assert.equal(manifest.bin['lrlab'], 'bin/lrlab');
});

/** package.json's settings as the option table says they are. */
function tableSettings(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(settingNames().map((name) => [`lrlab.${name}`, settingSchema(name)]));
}

test('package.json settings are the option table: names, types, defaults, ranges, scopes and descriptions', () => {
  // LRLAB_UPDATE_MANIFEST=1 writes the table's settings into package.json (then review the diff).
  if (process.env['LRLAB_UPDATE_MANIFEST'] === '1') {
    const updated = { ...(JSON.parse(manifestText) as Record<string, unknown>) };
    const contributes = updated['contributes'] as Manifest['contributes'];
    contributes.configuration = { ...contributes.configuration, properties: tableSettings() };
    const capabilities = updated['capabilities'] as Manifest['capabilities'];
    capabilities.untrustedWorkspaces.restrictedConfigurations = settingNames().filter((n) => specOf(n).setting?.restricted === true).map((n) => `lrlab.${n}`);
    writeFileSync(manifestFile, `${JSON.stringify(updated, null, 2)}\n`);
    return;
  }
  const contributed = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(contributed), Object.keys(tableSettings()), 'the same settings, in table order');
  for (const [key, schema] of Object.entries(tableSettings())) assert.deepEqual(contributed[key], schema, key);
  // A cloned repository's .vscode/settings.json may not pick the Node binary, share (read) its history (#16.1) or send trials to a Redis unless trusted.
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['lrlab.nodePath', 'lrlab.redisUrl', 'lrlab.shareHistory']);
});

test('the table: defaults fit their own ranges and choices; from-compile defaults are the optimizer, its momentum/beta1, beta2, epsilon and the constant LR', () => {
  for (const name of OPTION_NAMES) {
    const spec = specOf(name);
    const value: unknown = spec.default;
    if (value === undefined || (typeof value === 'object' && value !== null && 'fromCompile' in value)) continue;
    if (spec.type === 'choice') assert.ok(typeof value === 'string' && spec.choices.includes(value), name);
    if ((spec.type === 'number' || spec.type === 'integer') && spec.range !== undefined) {
      const v = Number(value);
      const r = spec.range;
      assert.ok((r.min ?? -Infinity) <= v && v <= (r.max ?? Infinity) && (r.exclusiveMin ?? -Infinity) < v && v < (r.exclusiveMax ?? Infinity), `${name} default ${v}`);
    }
  }
  const fromCompile = OPTION_NAMES.filter((n) => { const d: unknown = specOf(n).default; return typeof d === 'object' && d !== null && 'fromCompile' in d; });
  assert.deepEqual(fromCompile, ['optimizer', 'momentum', 'beta2', 'epsilon', 'lr']);
  assert.equal(OPTIONS.steps.byCommand['short-runs'].default, MAX_SHORT_RUN_STEPS);
});

test('lrlab.lrTrials in settings.json: the schema leaves out 1–9, as the engine refuses them', () => {
  const schema = settingSchema('lrTrials') as { minimum: number; maximum: number; not?: { minimum: number; maximum: number } };
  assert.ok(schema.not !== undefined);
  for (let v = 0; v <= 12; v++) {
    const schemaRefuses: boolean = v < schema.minimum || v > schema.maximum || (v >= schema.not.minimum && v <= schema.not.maximum);
    let engineRefuses = false;
    try {
      checkLrTrials(v);
    } catch (e) {
      assert.ok(e instanceof OptionError);
      engineRefuses = true;
    }
    assert.equal(schemaRefuses, engineRefuses, String(v));
  }
});

test('no command takes two options on one flag; every flag of the CLI is in the table', () => {
  const commands: CommandName[] = ['find-lr', 'sweep', 'short-runs', 'train', 'batch-size', 'recipe', 'schedule', 'worker'];
  for (const command of commands) {
    const seen = new Map<string, string>();
    for (const name of optionsOf(command)) {
      for (const flag of [flagFor(name), ...(specOf(name).aliases ?? []).map((a) => `--${a}`)]) {
        assert.ok(!seen.has(flag), `${command}: ${flag} is both ${seen.get(flag)} and ${name}`);
        seen.set(flag, name);
      }
    }
  }
  // sweep parses its own options and its short-run mode's: one flag, one type.
  const union = [...optionsOf('sweep'), ...optionsOf('short-runs')];
  for (const a of union) for (const b of union) if (flagFor(a) === flagFor(b)) assert.equal(specOf(a).type, specOf(b).type, `${a} / ${b}`);
});

test('the editor sends each command the settings of its options; lrlab.steps is the range test\'s only', () => {
  assert.deepEqual(settingsOf('find-lr'), ['backend', 'seed', 'optimizer', 'batchSize', 'startLr', 'endLr', 'steps', 'smoothing', 'diverge', 'rangeRetries', 'rangeTests', 'lrTrials', 'trialSeeds', 'momentum', 'weightDecay']);
  assert.deepEqual(settingsOf('short-runs'), ['backend', 'seed', 'optimizer', 'batchSize']);
  assert.deepEqual(settingsOf('batch-size'), ['backend', 'seed', 'optimizer', 'startLr', 'endLr']);
  assert.deepEqual(settingsOf('train'), ['backend', 'seed', 'optimizer', 'batchSize', 'momentum', 'weightDecay']);
  const numericFindLr = settingsOf('find-lr').filter((n) => { const t = specOf(n).type; return t === 'number' || t === 'integer'; });
  assert.deepEqual([...OVERRIDABLE].sort(), numericFindLr.sort());
});

test('scale-out options: --redis on the studies and lrlab worker, the worker\'s own options, lrlab.redisUrl machine-scoped and restricted', () => {
  for (const command of ['sweep', 'short-runs', 'batch-size', 'recipe', 'worker'] as const) assert.ok(optionsOf(command).includes('redis'), command);
  for (const command of ['find-lr', 'train', 'schedule'] as const) assert.ok(!optionsOf(command).includes('redis'), command);
  assert.deepEqual(optionsOf('worker'), ['backend', 'redis', 'concurrency']);
  assert.equal(OPTIONS.concurrency.default, 1);
  assert.deepEqual(specOf('redisUrl').setting, { scope: 'machine', restricted: true });
  assert.equal(manifest.contributes.configuration.properties['lrlab.redisUrl']?.['scope'], 'machine');
});

test('"Find learning rate with options…" parses name=value overrides and names what is wrong', () => {
  assert.deepEqual(parseOverrides('startLr=1e-6  steps=200 batchSize=32').values, { startLr: 1e-6, steps: 200, batchSize: 32 });
  assert.equal(parseOverrides('').error, null);
  assert.match(parseOverrides('steps=abc').error ?? '', /steps must be a number, got 'abc'/);
  assert.match(parseOverrides('lr=0.1').error ?? '', /'lr' is not an option here \(seed, /);
  // A typo gets the CLI's "did you mean" (it read only the list).
  assert.match(parseOverrides('stepz=40').error ?? '', /^'stepz' is not an option here — did you mean steps\? \(seed, batchSize, /);
  assert.match(parseOverrides('steps 100').error ?? '', /'steps' is not name=value/);
  // As the CLI reads flags: a name given twice with two values (the same value twice runs), a number JavaScript reads but nobody means, a whole number past 2^53 − 1.
  assert.match(parseOverrides('seed=1 seed=2').error ?? '', /^seed is given twice, 1 and then 2: give it once$/);
  assert.equal(parseOverrides('seed=1 seed=1').error, null);
  assert.match(parseOverrides('steps=0x10').error ?? '', /^steps must be a decimal number, got '0x10'$/);
  assert.match(parseOverrides('seed=9007199254740993').error ?? '', /^seed must be a whole number no larger than 9007199254740991, got 9007199254740993: larger ones are not exact in JavaScript \(9007199254740993 would run as 9007199254740992\)$/);
});

test('"Find learning rate with options…" refuses what the engine would, in the box\'s names: ranges, short runs of 0 or at least 10 steps, startLr below endLr', () => {
  assert.equal(parseOverrides('steps=-5').error, 'steps must be a whole number between 2 and 100000, got -5');
  assert.equal(parseOverrides('steps=2.5').error, 'steps must be a whole number between 2 and 100000, got 2.5');
  assert.equal(parseOverrides('smoothing=1.5').error, 'smoothing must be in [0, 1), got 1.5');
  assert.equal(parseOverrides('momentum=2').error, 'momentum must be in [0, 1), got 2');
  assert.equal(parseOverrides('startLr=0').error, 'startLr must be ≥ 1e-30, got 0');
  assert.equal(parseOverrides('endLr=1e31').error, 'endLr must be in (0, 1e+30], got 1e31');
  assert.equal(parseOverrides('lrTrials=5').error, 'lrTrials must be 0 (off) or at least 10 steps, got 5');
  assert.equal(parseOverrides('lrTrials=0 lrTrials=0').error, null);
  assert.equal(parseOverrides('startLr=1 endLr=0.1').error, 'startLr (1) must be below endLr (0.1): the test sweeps the LR upwards');
  assert.deepEqual(parseOverrides('lrTrials=50 smoothing=0.9').values, { lrTrials: 50, smoothing: 0.9 });
});

test('a setting\'s value the engine refuses is said in the setting\'s words; a setting of another type is refused, not dropped', () => {
  const refusal = new OptionError('lrTrials', '--lr-trials must be 0 (off) or at least 10 steps, got 5.');
  const said = inSettingTerms(refusal, { lrTrials: 'setting' });
  assert.equal(said.message, 'The setting lrlab.lrTrials must be 0 (off) or at least 10 steps, got 5.');
  assert.equal(said.fix, 'Change lrlab.lrTrials in Settings (or remove it to use the default).');
  assert.equal(said.option, 'lrTrials');
  // Every value from a setting is named as its setting, in the message and the fix; a flag is matched whole.
  const order = inSettingTerms(new OptionError('startLr', '--start-lr (1) must be below --end-lr (0.1).', 'The test sweeps the LR upwards, e.g. --start-lr 1e-7 --end-lr 10.'), { startLr: 'setting', endLr: 'setting' });
  assert.equal(order.message, 'The setting lrlab.startLr (1) must be below lrlab.endLr (0.1).');
  assert.equal(order.fix, 'Change lrlab.startLr in Settings (or remove it to use the default); the test sweeps the LR upwards, e.g. lrlab.startLr 1e-7 lrlab.endLr 10.');
  assert.equal(inSettingTerms(new OptionError('endLr', '--end-lr must be above --start-lr.'), { endLr: 'setting' }).message, 'The setting lrlab.endLr must be above --start-lr.');
  // Typed into the options box, or not an option's refusal: as it was.
  assert.equal(inSettingTerms(refusal, { lrTrials: 'flag' }), refusal);
  const other = new LrLabError('data', 'loadData() returned nothing.');
  assert.equal(inSettingTerms(other, { lrTrials: 'setting' }), other);
  // Another error that names the flag of a value from a setting (trial L: "--backend tensorflow needs
  // @tensorflow/tfjs-node" where lrlab.backend was set): the setting, the code and option kept.
  const backend = inSettingTerms(new LrLabError('backend', '--backend tensorflow needs @tensorflow/tfjs-node, which is not installed in your workspace.', { option: 'backend', fix: 'Install it, or use --backend wasm.' }), { backend: 'setting', steps: 'setting' });
  assert.deepEqual([backend.code, backend.option, backend.message, backend.fix], ['backend', 'backend', 'lrlab.backend tensorflow needs @tensorflow/tfjs-node, which is not installed in your workspace.', 'Install it, or use lrlab.backend wasm.']);
  // A result's notes too, at any depth, and only its notes.
  const result = { kind: 'find-lr', backendNote: 'cpu backend chosen with --backend cpu: slow', warnings: ['Trained at --batch-size 16 instead of its batch size 128; raise --steps.'], trials: { warnings: ['--batch-size 16'] }, reason: 'raise --batch-size', points: [{ lr: 1 }] };
  assert.deepEqual(resultInSettingTerms(result, { backend: 'setting', batchSize: 'setting', steps: 'flag' }), {
    ...result,
    backendNote: 'cpu backend chosen with lrlab.backend cpu: slow',
    warnings: ['Trained at lrlab.batchSize 16 instead of its batch size 128; raise --steps.'],
    trials: { warnings: ['lrlab.batchSize 16'] },
  });
  assert.equal(resultInSettingTerms(result, { batchSize: 'flag' }), result);
  assert.equal(settingTypeError('batchSize', 64), null);
  assert.equal(settingTypeError('batchSize', undefined), null);
  assert.equal(settingTypeError('momentum', null), null);
  const typed = settingTypeError('batchSize', '64');
  assert.equal(typed?.message, 'The setting lrlab.batchSize is "64" (text); it must be a whole number.');
  assert.equal(typed?.fix, 'Change lrlab.batchSize in Settings (in settings.json without quotes: 64), or remove it to use the default.');
  assert.equal(settingTypeError('backend', 'gpu')?.message, 'The setting lrlab.backend is "gpu" (text); it must be one of auto, tensorflow, wasm, cpu.');
});

test('only settings the user set are sent: the most specific level VS Code resolves to, language-specific first', () => {
  assert.equal(explicitValue(undefined), undefined);
  assert.equal(explicitValue({}), undefined, 'default only: not sent');
  assert.equal(explicitValue({ globalValue: 0.5 }), 0.5);
  assert.equal(explicitValue({ globalValue: 0.5, workspaceValue: 0.8 }), 0.8);
  assert.equal(explicitValue({ globalValue: 0.5, workspaceValue: 0.8, workspaceFolderValue: 0 }), 0, 'a set 0 counts');
  assert.equal(explicitValue({ workspaceFolderValue: 0.8, globalLanguageValue: 0.3 }), 0.3, 'language-specific beats every plain level');
  assert.equal(explicitValue({ globalLanguageValue: 0.3, workspaceLanguageValue: 0.4, workspaceFolderLanguageValue: 0.6 }), 0.6);
  assert.equal(explicitValue({ globalValue: 0.5, workspaceValue: null }), null, 'a workspace null undoes the user value');
  assert.equal(settingValue('momentum', explicitValue({ globalValue: 0.5, workspaceValue: null })), undefined, '…and then the model decides');
  assert.equal(settingValue('steps', 'abc'), undefined, 'a value of the wrong type is left out');
  assert.equal(settingValue('optimizer', 'rmsprop2'), undefined);
  assert.equal(settingValue('optimizer', 'adam'), 'adam');
});
