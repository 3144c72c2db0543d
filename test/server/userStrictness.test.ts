/**
 * Inserted code type-checks in its user's own strictness. Users who type-check write either strict
 * TypeScript (`strict`, `noImplicitAny`, `noUncheckedIndexedAccess`, `exactOptionalPropertyTypes`,
 * and the rest of @tsconfig/strictest) or JavaScript under `// @ts-check` with the same options.
 * Two ways an insertion broke such a file: untyped JavaScript blocks (a screenful of "implicitly has
 * an 'any' type"), and a single callback object whose handlers' parameters `fit` had typed, put in
 * an array where the element type no longer types them. Here real user files — each clean before
 * the insertion, which the test checks first — in every insertion sequence the server offers (the
 * schedule with its cyclical momentum, each weight-decay form, both, both re-inserted from newer
 * runs), every callbacks style (none, an array, a single object or method, a `tf.Callback`
 * instance, an array or a single callback in a variable, options in a variable, `fitDataset`), tfjs
 * as `tf` from `@tensorflow/tfjs` and as `tfjs` from `@tensorflow/tfjs-node` (and by named imports
 * and `require`), are edited and all checked in one program by the repository's TypeScript against
 * the real tfjs types (tfjs-node: editedFiles.ts' stand-in, which re-exports them as tfjs-node's
 * own types do): no file may have an error after any insertion.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { EditedProject } from './editedFiles';
import { CASES } from './insertCases';

const root = path.join(__dirname, '..', '..');

/** The user's options: @tsconfig/strictest (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, unused locals…) for TypeScript and for checked JavaScript. */
const OPTIONS: ts.CompilerOptions = {
  ...ts.convertCompilerOptionsFromJson((JSON.parse(readFileSync(path.join(root, 'node_modules', '@tsconfig', 'strictest', 'tsconfig.json'), 'utf8')) as { compilerOptions: object }).compilerOptions, root).options,
  strict: true,
  noImplicitAny: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  allowJs: true,
  noEmit: true,
  isolatedModules: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: [],
};

type Lang = 'ts' | 'js';

interface Import {
  readonly name: string;
  readonly pkg: string;
}

const IMPORTS: readonly Import[] = [
  { name: 'tf', pkg: '@tensorflow/tfjs' },
  { name: 'tfjs', pkg: '@tensorflow/tfjs-node' },
];

/** What a style's text depends on: the file's language and its name for tfjs. */
interface Writer {
  readonly lang: Lang;
  readonly tf: string;
  /** A typed parameter as the language writes it: `batch: number`, `/** @type {number} *\/ batch`. */
  readonly param: (name: string, type: string, optional?: boolean) => string;
  /** A typed `const` declaration line (two-space indented): `const x: T = …;`, or a JSDoc `@type` line above it. */
  readonly constant: (name: string, type: string, value: string) => string;
}

function writer(lang: Lang, tf: string): Writer {
  return lang === 'ts'
    ? { lang, tf, param: (name, type, optional = false) => `${name}${optional ? '?' : ''}: ${type}`, constant: (name, type, value) => `  const ${name}: ${type} = ${value};\n` }
    : { lang, tf, param: (name, type, optional = false) => `/** @type {${type}${optional ? ' | undefined' : ''}} */ ${name}`, constant: (name, type, value) => `  /** @type {${type}} */\n  const ${name} = ${value};\n` };
}

/** One callbacks style: the declarations before the fit, and the fit statement with what follows it. */
type Style = (w: Writer) => { readonly declarations: string; readonly fit: string };

// Strict users type their callbacks' parameters: tfjs's union of callback types gives them no contextual type.
const STYLES: Record<string, Style> = {
  none: () => ({ declarations: '', fit: 'await model.fit(xs, ys, { epochs: 2, batchSize: 4 });' }),
  array: (w) => ({
    declarations: w.constant('losses', 'number[]', '[]'),
    fit: `await model.fit(xs, ys, {
    epochs: 2,
    batchSize: 4,
    callbacks: [{ onEpochEnd: async (${w.param('_epoch', 'number')}, ${w.param('logs', `${w.tf}.Logs`, true)}) => { losses.push(logs?.['loss'] ?? NaN); } }],
  });`,
  }),
  // A single object is typed by fit's parameter: its handlers' parameters need no types of their own.
  single: () => ({
    declarations: '  let batches = 0;\n',
    fit: 'await model.fit(xs, ys, { epochs: 2, batchSize: 4, callbacks: { onBatchEnd: async (batch) => { batches = batch + 1; } } });\n  console.log(batches);',
  }),
  'single-method': () => ({
    declarations: '  let last = 0;\n',
    fit: `await model.fit(xs, ys, {
    epochs: 2,
    batchSize: 4,
    callbacks: {
      async onEpochEnd(epoch, logs) {
        last = epoch + (logs?.['loss'] ?? 0);
      },
    },
  });
  console.log(last);`,
  }),
  instance: (w) => ({
    declarations:
      w.lang === 'ts'
        ? `  class Counter extends ${w.tf}.Callback {\n    count = 0;\n    override async onBatchEnd(): Promise<void> {\n      this.count += 1;\n    }\n  }\n`
        : `  class Counter extends ${w.tf}.Callback {\n    count = 0;\n    /** @override */\n    async onBatchEnd() {\n      this.count += 1;\n    }\n  }\n`,
    fit: 'await model.fit(xs, ys, { epochs: 2, batchSize: 4, callbacks: new Counter() });',
  }),
  'array-variable': (w) => ({
    declarations: `  const callbacks = [${w.tf}.callbacks.earlyStopping({ monitor: 'loss', patience: 5 })];\n`,
    fit: 'await model.fit(xs, ys, { epochs: 2, batchSize: 4, callbacks });',
  }),
  'single-variable': (w) => ({
    declarations: `  const stopper = ${w.tf}.callbacks.earlyStopping({ monitor: 'loss', patience: 5 });\n`,
    fit: 'await model.fit(xs, ys, { epochs: 2, batchSize: 4, callbacks: stopper });',
  }),
  'options-variable': () => ({
    declarations: '  const options = { epochs: 2, batchSize: 4, verbose: 0 };\n',
    fit: 'await model.fit(xs, ys, options);',
  }),
  // Callbacks in an options variable (trial O #5): the call gets a copy, `{ ...options, callbacks: [...options.callbacks, …] }`.
  'options-variable-callbacks': (w) => ({
    declarations: `  const options = { epochs: 2, batchSize: 4, callbacks: [${w.tf}.callbacks.earlyStopping({ monitor: 'loss', patience: 5 })] };\n`,
    fit: 'await model.fit(xs, ys, options);',
  }),
  'options-variable-single': (w) => ({
    declarations: `  let seen = 0;\n  const options = { epochs: 2, callbacks: { onBatchEnd: async (${w.param('batch', 'number')}) => { seen = batch; } } };\n`,
    fit: 'await model.fit(xs, ys, options);\n  console.log(seen);',
  }),
  'fit-dataset': (w) => ({
    declarations: `  const dataset = ${w.tf}.data.zip({ xs: ${w.tf}.data.array(xs.unstack()), ys: ${w.tf}.data.array(ys.unstack()) }).batch(4);\n  let last = -1;\n`,
    fit: `await model.fitDataset(dataset, { epochs: 2, callbacks: [{ onEpochEnd: (${w.param('epoch', 'number')}) => { last = epoch; } }] });\n  console.log(last);`,
  }),
  'fit-dataset-single': (w) => ({
    declarations: `  const dataset = ${w.tf}.data.zip({ xs: ${w.tf}.data.array(xs.unstack()), ys: ${w.tf}.data.array(ys.unstack()) }).batch(4);\n  let last = -1;\n`,
    fit: 'await model.fitDataset(dataset, { epochs: 2, callbacks: { onEpochEnd: (epoch) => { last = epoch; } } });\n  console.log(last);',
  }),
};

/** A user's training file in one language, import and callbacks style, clean under OPTIONS. */
function userFile(lang: Lang, imp: Import, style: Style, adam: boolean): string {
  const tf = imp.name;
  const { declarations, fit } = style(writer(lang, tf));
  const returns = lang === 'ts' ? `: Promise<${tf}.LayersModel>` : '';
  const optimizer = adam ? `${tf}.train.adam(0.01)` : `${tf}.train.momentum(0.01, 0.9)`;
  return `${lang === 'js' ? '// @ts-check\n' : ''}import * as ${tf} from '${imp.pkg}';

export async function train()${returns} {
  const model = ${tf}.sequential();
  model.add(${tf}.layers.dense({ units: 4, inputShape: [2], activation: 'relu' }));
  model.add(${tf}.layers.dense({ units: 1 }));
  model.compile({ optimizer: ${optimizer}, loss: 'meanSquaredError' });
  const xs = ${tf}.ones([8, 2]);
  const ys = ${tf}.zeros([8, 1]);
${declarations}  ${fit}
  return model;
}
`;
}

/** tfjs under names the matrix does not write: by named imports (TypeScript) or `require` (JavaScript), each file's types naming tfjs its own way. */
const OTHER_FILES: Record<string, string> = {
  'named-imports.ts': `import { sequential, layers, train as optimizers, ones, zeros } from '@tensorflow/tfjs';

export async function fitIt(): Promise<number> {
  const model = sequential();
  model.add(layers.dense({ units: 1, inputShape: [2] }));
  model.compile({ optimizer: optimizers.momentum(0.1, 0.9), loss: 'meanSquaredError' });
  let seen = 0;
  await model.fit(ones([4, 2]), zeros([4, 1]), { epochs: 1, callbacks: { onBatchEnd: (batch) => { seen = batch; } } });
  return seen;
}
`,
  'require-node.js': `// @ts-check
const tfn = require('@tensorflow/tfjs-node');

async function main() {
  const model = tfn.sequential({ layers: [tfn.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: tfn.train.adam(0.01), loss: 'meanSquaredError' });
  let seen = 0;
  await model.fit(tfn.ones([4, 2]), tfn.zeros([4, 1]), { epochs: 1, callbacks: { onBatchEnd: (batch) => { seen = batch; } } });
  return seen;
}

module.exports = { main };
`,
  'named-require.js': `// @ts-check
const { sequential, layers, train, ones, zeros } = require('@tensorflow/tfjs');

async function main() {
  const model = sequential();
  model.add(layers.dense({ units: 1, inputShape: [2] }));
  model.compile({ optimizer: train.sgd(0.1), loss: 'meanSquaredError' });
  let seen = 0;
  await model.fit(ones([4, 2]), zeros([4, 1]), { epochs: 1, callbacks: { onEpochEnd: (epoch, logs) => { seen = epoch + (logs?.['loss'] ?? 0); } } });
  return seen;
}

module.exports = { main };
`,
};

const project = new EditedProject();
after(() => project.dispose());

test("inserted code type-checks in strict TypeScript and in `// @ts-check` JavaScript, in every insertion, callbacks style and tfjs import (one program, the user's files clean before)", () => {
  const originals: string[] = [];
  const edited: string[] = [];
  let n = 0;
  for (const lang of ['ts', 'js'] as const) {
    for (const imp of IMPORTS) {
      for (const [styleName, style] of Object.entries(STYLES)) {
        const text = userFile(lang, imp, style, n++ % 2 === 1);
        const base = `${lang}-${imp.name}-${styleName}`;
        originals.push(project.write(`${base}.${lang}`, text));
        for (const kase of Object.keys(CASES)) edited.push(project.write(`${base}.${kase}.${lang}`, CASES[kase]!(`${base}.${lang}`, text)));
      }
    }
  }
  for (const [name, text] of Object.entries(OTHER_FILES)) {
    originals.push(project.write(name, text));
    for (const kase of Object.keys(CASES)) edited.push(project.write(name.replace(/\.(\w+)$/, `.${kase}.$1`), CASES[kase]!(name, text)));
  }
  const started = Date.now();
  const program = ts.createProgram([...originals, ...edited], OPTIONS);
  const errors = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file === undefined ? '(global)' : path.basename(d.file.fileName);
    const line = d.file === undefined || d.start === undefined ? '' : `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`;
    errors.set(file, [...(errors.get(file) ?? []), `${file}${line} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`]);
  }
  const ms = Date.now() - started;
  const of = (files: readonly string[]): string[] => files.flatMap((f) => errors.get(path.basename(f)) ?? []);
  assert.deepEqual(of(originals), [], "the user's files are clean before the insertion");
  assert.deepEqual([...errors.values()].flat(), [], 'the edited files (and the libraries, and the program) have no error');
  // A single object's handlers keep fit's types through a cast that names tfjs as the file does.
  const fitLine = (name: string): string => readFileSync(path.join(project.dir, name), 'utf8').split('\n').find((l) => l.includes('.fit('))!;
  assert.match(fitLine('ts-tfjs-single.schedule.ts'), /callbacks: \[\{ onBatchEnd: .* \} as tfjs\.CustomCallbackArgs, lrlabOneCycle\(model\)\]/);
  assert.match(fitLine('named-imports.schedule.ts'), /\} as import\('@tensorflow\/tfjs'\)\.CustomCallbackArgs, lrlabOneCycle\(model\)\]/);
  assert.match(fitLine('require-node.schedule.js'), /\[\/\*\* @type \{tfn\.CustomCallbackArgs\} \*\/ \(\{ onBatchEnd: .*\}\), lrlabOneCycle\(model\)\]/);
  assert.match(fitLine('named-require.schedule.js'), /\[\/\*\* @type \{import\('@tensorflow\/tfjs'\)\.CustomCallbackArgs\} \*\/ \(/);
  // Callbacks in an options variable: the call gets a copy with them and LR Lab's, the variable stays as it is.
  assert.match(fitLine('ts-tf-options-variable-callbacks.both.ts'), /model\.fit\(xs, ys, \{ \.\.\.options, callbacks: \[\.\.\.options\.callbacks, lrlabOneCycle\(model\), lrlabWeightDecay\(model\)\] \}\);/);
  assert.match(fitLine('js-tfjs-options-variable-single.schedule.js'), /model\.fit\(xs, ys, \{ \.\.\.options, callbacks: \[options\.callbacks, lrlabOneCycle\(model\)\] \}\);/);
  assert.ok(edited.length >= 2 * IMPORTS.length * Object.keys(STYLES).length * 5, `${edited.length} edited files in ${ms} ms`);
});
