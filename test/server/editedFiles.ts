/**
 * Runs edited files the way their users run them, for the insertion tests.
 *
 * A temporary project holds the files beside the repository's tfjs (and a stand-in for
 * `@tensorflow/tfjs-node`, which cannot install here: it re-exports `@tensorflow/tfjs`, and the
 * inserted code uses nothing of it beyond that). TypeScript is checked by the repository's
 * TypeScript under `strict` and @tsconfig/strictest's flags against the real `@tensorflow/tfjs`
 * types, then compiled to CommonJS as `tsc` would. Each file then runs in its own Node process
 * (`node --require recorder.cjs driver.mjs file`): the driver imports it (a script trains as it
 * loads) and calls its exported `train()` when it has one; the recorder reads, at every optimizer
 * step, what the optimizer actually applies — its learning rate, the `-lr` scalar SGD-family
 * updates multiply by, the momentum scalar `m` or Adam's `beta1` — plus `tf.memory().numTensors`,
 * every trainable weight before and after the update, and, when LR Lab's L2 weight decay is on a
 * layer, the gradient it adds (the gradient with the penalty minus the gradient with it set to 0).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');

/** What the recorder saw at one optimizer step. */
export interface RecordedStep {
  readonly lr: number;
  /** The scalar SGD/momentum updates multiply by (`-lr` in float32), when the optimizer has one. */
  readonly c: number | null;
  /** The momentum scalar a momentum optimizer's update reads. */
  readonly m: number | null;
  readonly beta1: number | null;
  readonly numTensors: number;
  /** Every trainable weight before and after this step's update. */
  readonly before: { readonly name: string; readonly values: number[] }[];
  readonly after: number[][];
  /** L2: the weight decay on the layers and the gradient the penalty adds, per weight. */
  readonly wd?: number;
  readonly penaltyGrad?: number[][];
}

const RECORDER = `'use strict';
const fs = require('fs');
const tf = require('@tensorflow/tfjs');
const mark = Symbol.for('lrlab.weightDecay');
const models = [];
const steps = [];
for (const method of ['fit', 'fitDataset']) {
  const original = tf.LayersModel.prototype[method];
  tf.LayersModel.prototype[method] = function (...args) {
    if (!models.includes(this)) models.push(this);
    return original.apply(this, args);
  };
}
const layersOf = (model) => {
  const all = [];
  const stack = [...model.layers];
  for (let l = stack.pop(); l !== undefined; l = stack.pop()) {
    if (Array.isArray(l.layers)) stack.push(...l.layers);
    else all.push(l);
  }
  return all;
};
const values = (t) => Array.from(t.dataSync());
const scalar = (t) => (t instanceof tf.Tensor ? t.dataSync()[0] : null);
const gradients = (f, varList) => tf.tidy(() => {
  const { grads } = tf.variableGrads(f, varList);
  return varList.map((v) => values(grads[v.name]));
});
const minimize = tf.Optimizer.prototype.minimize;
tf.Optimizer.prototype.minimize = function (f, returnCost, varList) {
  const step = {
    numTensors: tf.memory().numTensors,
    lr: this.learningRate,
    c: scalar(this.c),
    m: scalar(this.m),
    beta1: typeof this.beta1 === 'number' ? this.beta1 : null,
    before: varList.map((v) => ({ name: v.name, values: values(v) })),
  };
  const marked = models.flatMap(layersOf).filter((l) => typeof l[mark] === 'number');
  if (marked.length > 0) {
    const held = marked.map((l) => l[mark]);
    const withPenalty = gradients(f, varList);
    for (const l of marked) l[mark] = 0;
    const without = gradients(f, varList);
    marked.forEach((l, i) => { l[mark] = held[i]; });
    step.wd = held[0];
    step.penaltyGrad = withPenalty.map((g, j) => g.map((x, i) => x - without[j][i]));
  }
  const result = minimize.call(this, f, returnCost, varList);
  step.after = varList.map(values);
  steps.push(step);
  return result;
};
process.on('exit', () => fs.writeFileSync(process.env.LRLAB_RECORD, JSON.stringify(steps)));
`;

const DRIVER = `import { pathToFileURL } from 'node:url';
const mod = await import(pathToFileURL(process.argv[2]).href);
const train = mod.train ?? mod.default?.train;
if (typeof train === 'function') await train();
`;

/** The compiler options of the check: strict and every @tsconfig/strictest flag, CommonJS output. */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  ...(ts.convertCompilerOptionsFromJson((JSON.parse(readFileSync(path.join(root, 'node_modules', '@tsconfig', 'strictest', 'tsconfig.json'), 'utf8')) as { compilerOptions: object }).compilerOptions, root).options),
  isolatedModules: false,
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: [],
};

export class EditedProject {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'lrlab-edited-'));

  constructor() {
    // The repository's tfjs packages by symlink, and the tfjs-node stand-in.
    const scope = path.join(this.dir, 'node_modules', '@tensorflow');
    mkdirSync(scope, { recursive: true });
    for (const name of readdirSync(path.join(root, 'node_modules', '@tensorflow'))) symlinkSync(path.join(root, 'node_modules', '@tensorflow', name), path.join(scope, name), 'dir');
    const node = path.join(scope, 'tfjs-node');
    mkdirSync(node);
    writeFileSync(path.join(node, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js', types: 'index.d.ts' }));
    writeFileSync(path.join(node, 'index.js'), "module.exports = require('@tensorflow/tfjs');\n");
    writeFileSync(path.join(node, 'index.d.ts'), "export * from '@tensorflow/tfjs';\n");
    writeFileSync(path.join(this.dir, 'recorder.cjs'), RECORDER);
    writeFileSync(path.join(this.dir, 'driver.mjs'), DRIVER);
  }

  /** Writes a file into the project; returns its path. */
  write(name: string, text: string): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, text);
    return file;
  }

  /**
   * Type-checks the TypeScript files together and emits each as CommonJS beside it (`x.ts` → `x.js`).
   * Returns the diagnostics per file name (an empty list when clean).
   */
  compile(files: readonly string[]): Map<string, string[]> {
    const program = ts.createProgram(files, COMPILER_OPTIONS);
    const errors = new Map<string, string[]>(files.map((f) => [path.basename(f), []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const where = d.file === undefined ? '(global)' : path.basename(d.file.fileName);
      const line = d.file === undefined || d.start === undefined ? '' : `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`;
      errors.set(where, [...(errors.get(where) ?? []), `${where}${line} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`]);
    }
    program.emit();
    return errors;
  }

  /** Runs one file in its own Node process with the recorder; its steps, or the process's failure. */
  run(file: string): Promise<RecordedStep[]> {
    const record = `${file}.steps.json`;
    return new Promise((resolve, reject) => {
      execFile(process.execPath, ['--require', path.join(this.dir, 'recorder.cjs'), path.join(this.dir, 'driver.mjs'), file], { cwd: this.dir, env: { ...process.env, LRLAB_RECORD: record }, timeout: 120_000 }, (error, _stdout, stderr) => {
        if (error !== null) reject(new Error(`${path.basename(file)} failed: ${stderr.split('\n').filter((l) => l.trim() !== '').slice(0, 8).join('\n')}`));
        else resolve(JSON.parse(readFileSync(record, 'utf8')) as RecordedStep[]);
      });
    });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
