/**
 * What an engine process keeps between runs: the tfjs instance (one backend per process — tfjs
 * has one global engine) and, per model source, the loaded module and its prepared data
 * (`loadData()` runs once per process and is reused by every curve of a sweep or recipe).
 */
import { markExperimentRan } from './cacheDir';
import path from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import type * as tfjs from '@tensorflow/tfjs';
import type { CommonRunOptions } from '../protocol/requests';
import type { DataFingerprint } from './distributed/jobs';
import type { PrepareResult } from '../protocol/engineRpc';
import type { BackendChoice, BackendReport, Baseline } from '../protocol/results';
import { WAITING_PHASE } from '../protocol/progress';
import { LrLabError, OptionError, flagOf } from '../protocol/errors';
import { checkGivenNumbers, checkNumberOption } from '../protocol/optionRules';
import type { Tf } from './tfjs';
import { loadTf } from './tfjs';
import { readTensor } from './readTensor';
import type { UserModelModule } from './modelFile';
import { bundleModelFile, checkSourceFile, loadModelModule, prepareBundle, shippedBundle } from './modelFile';
import { warmUp } from './warmUp';
import { startFmaWorkersFor } from './wasmKernels';
import { OPTIONS } from '../protocol/options';
import { buildModel } from './modelExports';
import { prepareData } from './data';
import { checkLabels, doubleActivation, inferredLossWarning, missingActivation, lossExportConflict, resolveLoss } from './loss';
import type { CompiledOptimizer, UnsupportedOptimizer } from './compiledOptimizer';
import { resolveCompiledOptimizer } from './compiledOptimizer';
import { loadLayersModelWithCsv } from './csvModel';
import type { AccuracyKind, LossFn, Split } from './trainer';
import { accuracyKindOf } from './trainer';
import type { Reporter } from './reporter';
import { thrownText, throwIfAborted, toLrLabError } from './errorMapping';
import { seedProcess } from './seed';
import { isEngineProcess, wantedFmaThreads, wantedWasmThreads } from './wasmThreads';
import { awaitUserCode } from './userCode';
import type { MetricSpec } from './metrics';
import { resolveMetrics } from './metrics';
import type { ChanceAccuracy } from '../core/baseline';
import { chanceOfLabels, identifyLoss, inputsOffScale, labelChecks, outputsOffStart, taskBaseline } from './baseline';
import { describeOffScaleInputs } from '../core/inputScale';
import { baselineLossOf, constantLabels, describeConstantOutputs, describeHingeZeroOne, describeNarrowValidation, describeRareInValidation, describeOffCentre, moreValidation, describeOffPrior, describeUnevenScales } from '../core/baseline';
import { fitReachOfLine, lineHoldsCall, modelFitCallLines, scriptNames, sourceLines } from '../core/modelFileText';
import { formatCount } from '../protocol/format';
import type { OptionNaming } from '../protocol/optionNaming';
import type { FitSettings } from './scriptCapture';
import { isTrainingScript, loadScript } from './scriptModel';

export interface LoadedModel {
  readonly tf: Tf;
  readonly file: string;
  readonly backend: BackendReport;
  buildModel(hp: { dropout?: number }): Promise<tfjs.LayersModel>;
  /** Disposes a model from `buildModel`, with the optimizer its model.compile made. */
  disposeModel(model: tfjs.LayersModel): void;
  readonly data: { readonly train: Split; readonly validation: Split };
  readonly loss: { readonly fn: LossFn; readonly name: string };
  readonly accuracy: AccuracyKind;
  /** The model's metrics (its `metrics` export, else its compile's), keyed as named there. */
  readonly metrics: readonly MetricSpec[];
  /** The loss of a model that learned nothing, from the labels (`null`: none known, `baselineReason` says why). */
  readonly baseline: Baseline | null;
  readonly baselineReason: string;
  /**
   * A classifier's chance accuracy where its loss has no baseline (a custom loss function) and its
   * metrics include accuracy: the verdict's only word on whether it learned. Absent or `null` elsewhere.
   */
  readonly chance?: ChanceAccuracy | null;
  /** The optimizer of the user's `model.compile`, when there is one. */
  readonly compiledOptimizer: CompiledOptimizer | UnsupportedOptimizer | null;
  /** Whether its inputs are far from scale 1 (a warning says which): where not, advice does not send the user to check them. */
  readonly inputsOffScale: boolean;
  /** Whether the fresh model's outputs start far from the labels (off centre, off scale or off the class balance): a warning says so and how to fix it. */
  readonly outputsOffStart: boolean;
  /** A CSV label column's class names in output-unit order (sorted), where it held names; else absent or null. */
  readonly classNames?: readonly string[] | null;
  /** Whether `createModel` reads `hp.dropout` (a sweep over dropout is meaningless otherwise). */
  readonly usesDropout: boolean;
  /** Number of trainable parameters (sizes the default weight-decay grid). */
  readonly parameterCount: number;
  /** Seconds `loadData()` and preparing its data took (each batch size's engine pays them again); absent where not measured. */
  readonly loadSeconds?: number;
  readonly warnings: readonly string[];
  /** The fit call of a training script, when the model came from one (scriptModel.ts). */
  readonly script?: FitSettings;
}

interface LoadedTf {
  readonly tf: Tf;
  readonly report: BackendReport;
  readonly requested: BackendChoice;
}

let tfPromise: Promise<LoadedTf> | null = null;
const models = new Map<string, Promise<LoadedModel>>();

function workspaceOf(options: CommonRunOptions): string {
  if (options.workspace !== undefined && !isFolder(options.workspace)) {
    // Silently ignored, it would leave the user's own tfjs-node unfound with no word why.
    throw new OptionError('workspace', `${flagOf('workspace')} ${options.workspace}: ${existsSync(options.workspace) ? 'not a folder' : 'the folder does not exist'}.`, "Give the folder whose node_modules holds your @tensorflow/tfjs-node, or leave it out (the model's folder and up).");
  }
  return options.workspace ?? path.dirname(options.model);
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

async function engineTf(options: CommonRunOptions): Promise<LoadedTf> {
  const requested = options.backend ?? 'auto';
  if (tfPromise === null) {
    tfPromise = loadTf({ backend: requested, workspaceDir: workspaceOf(options), threads: wantedWasmThreads(), fmaThreads: wantedFmaThreads() }).then(({ tf, report }) => ({ tf, report, requested }));
    tfPromise.catch(() => {
      tfPromise = null;
    });
  }
  const loaded = await tfPromise;
  if (requested !== 'auto' && requested !== loaded.requested && requested !== loaded.report.name) {
    throw new LrLabError('backend', `This engine process already runs the ${loaded.report.name} backend; tfjs cannot switch to ${requested} in the same process.`, {
      fix: 'Start a new engine (a new lrlab command, or cancel and rerun in VS Code).',
      option: 'backend',
    });
  }
  return loaded;
}

/** model.dispose() keeps an optimizer the user constructed (tf.train.sgd(...)); it is ours to drop. */
/** Why a model cannot use hp.dropout: a model.json has no createModel, or its createModel ignores it (`named`: the file's). */
export function whyDropoutIgnored(file: string, named: boolean): string {
  if (file.toLowerCase().endsWith('.json')) return 'a tfjs model.json has no createModel to pass hp.dropout to';
  return `createModel${named ? ` in ${path.basename(file)}` : ''} ignores hp.dropout`;
}

/** Said when --dropout was given to a model that cannot use it: the run is the same as without. */
export function dropoutIgnored(file: string, dropout: number): string {
  return `${flagOf('dropout')} ${dropout} changed nothing: ${whyDropoutIgnored(file, true)}, so the run is the same as without it. Build the model with tf.layers.dropout({ rate: hp.dropout }) to use it.`;
}

export function disposeModel(model: tfjs.LayersModel): void {
  // Undefined until compile, whatever tfjs's type says.
  const optimizer: tfjs.Optimizer | undefined = model.optimizer;
  model.dispose();
  try {
    optimizer?.dispose();
  } catch {
    // already disposed together with the model (string optimizers are owned by the model)
  }
}

function countParameters(model: tfjs.LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/** Hyper-parameters that notice whether createModel reads `dropout` (a dropout sweep is meaningless otherwise). */
function dropoutProbe(): { hp: { dropout?: number }; read: () => boolean } {
  let read = false;
  const hp = new Proxy<{ dropout?: number }>({}, {
    get(target, key) {
      if (key === 'dropout') read = true;
      return Reflect.get(target, key) as unknown;
    },
    has(target, key) {
      if (key === 'dropout') read = true;
      return Reflect.has(target, key);
    },
  });
  return { hp, read: () => read };
}

/** A source line as a message quotes it: trimmed, and cut short past 60 characters. */
function quoteLine(line: string): string {
  const t = line.trim();
  return `\`${t.length > 60 ? `${t.slice(0, 57)}...` : t}\``;
}

/**
 * `--fit-line N` on a line that can call nothing (past the end of the script, blank, or holding no call
 * outside comments and strings: core `lineHoldsCall`) is refused before the script runs: it would
 * otherwise run whole, side effects and all, and only then say that no fit call was at that line (a
 * user's `--fit-line 99` on a 22-line script trained 20 epochs and wrote its file; another's typo on a
 * `const n = 1200;` line ran both fits and the writes after them; a third's `const m = build();`, a
 * function of the script that only builds the model, did the same). A line that calls a function of
 * the script's own which may call fit is a fit line (scriptWorker.ts), so only lines whose calls surely
 * reach none are refused (core `fitReachOfLine`: it reads the bodies of the script's plain functions).
 */

/** How many of a script's own modules `namesOfOwnCode` reads at most. */
const MAX_OWN_MODULES = 200;
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The file a relative import names, as a bundler finds it (`./x` → x.ts, `./x.js` → x.ts, `./dir` → dir/index.ts); null if none. */
function ownModuleFile(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.[cm]?jsx?$/, '');
  const candidates = [base, ...SOURCE_EXTENSIONS.map((ext) => `${stem}${ext}`), ...SOURCE_EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null;
}

/**
 * The names through which a line of the script could reach a fit call (core `scriptNames`): its own
 * functions, classes and methods, those of the modules it imports by relative path (read in turn),
 * and the names it binds from them. Null where that cannot be told: it imports a package other than
 * tfjs and Node's own (a package may train the model), or more modules than are read.
 */
function namesOfOwnCode(file: string, text: string): Set<string> | null {
  const names = new Set<string>();
  const seen = new Set<string>([file]);
  const queue: [string, string][] = [[file, text]];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [at, source] = next;
    const found = scriptNames(source);
    for (const name of found.defined) names.add(name);
    for (const { from, names: bound } of found.imports) {
      if (from.startsWith('@tensorflow/') || from.startsWith('node:') || builtinModules.includes(from)) continue;
      if (!from.startsWith('.') && !path.isAbsolute(from)) return null;
      for (const name of bound) names.add(name);
      const module = ownModuleFile(at, from);
      if (module === null || seen.has(module) || !SOURCE_EXTENSIONS.includes(path.extname(module))) continue;
      if (seen.size >= MAX_OWN_MODULES) return null;
      seen.add(module);
      try {
        queue.push([module, readFileSync(module, 'utf8')]);
      } catch {
        return null;
      }
    }
  }
  return names;
}

function checkFitLine(file: string, fitLine: number): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return; // loading the script says what is wrong with the file
  }
  // Line ends as V8 counts them for a stack frame's line.
  const lines = sourceLines(text);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop(); // the newline that ends the last line starts none
  const past = fitLine > lines.length;
  const blank = !past && lines[fitLine - 1]!.trim() === '';
  const holdsCall = !past && !blank && lineHoldsCall(text, fitLine);
  const names = holdsCall ? namesOfOwnCode(file, text) : null;
  const reach = names === null ? null : fitReachOfLine(text, fitLine, names);
  if (holdsCall && (reach === null || reach.reach)) return;
  const calls = modelFitCallLines(text);
  const where = calls.length === 0 ? `${path.basename(file)} has no model.fit or fitDataset call LR Lab can see` : `its fit calls are at line${calls.length === 1 ? '' : 's'} ${calls.join(', ')}`;
  const own = reach?.ownNoFit ?? [];
  const called = own.length === 0 ? 'calls neither fit nor any function, class or method of the script or its own modules' : `calls ${own.join(', ')} (the script's own), which reach${own.length === 1 ? 'es' : ''} no fit call, and nothing else that could`;
  throw new OptionError('fitLine', `${flagOf('fitLine')} ${fitLine}: ${past ? `${path.basename(file)} has ${formatCount(lines.length, 'line')}` : blank ? `line ${fitLine} of ${path.basename(file)} is blank` : holdsCall ? `line ${fitLine} of ${path.basename(file)} (${quoteLine(lines[fitLine - 1]!)}) ${called}` : `line ${fitLine} of ${path.basename(file)} holds no call (${quoteLine(lines[fitLine - 1]!)})`}, so no fit call can be there (${where}). Nothing was run.`, calls.length === 0 ? `Give the line of the call that trains the model, or leave ${flagOf('fitLine')} out.` : `Give one of those lines (${flagOf('fitLine')} ${calls[0]!}), or leave ${flagOf('fitLine')} out.`);
}

async function loadModel(options: CommonRunOptions, reporter: Reporter, signal: AbortSignal): Promise<LoadedModel> {
  const tfLoading = engineTf(options);
  const file = path.resolve(options.model);
  const isLayersJson = file.toLowerCase().endsWith('.json');
  const script = !isLayersJson && isTrainingScript(file);
  if (!script && options.scriptArgs !== undefined && options.scriptArgs.length > 0) {
    throw new OptionError('scriptArgs', `Arguments after -- (${options.scriptArgs.join(' ')}) go to a training script, and ${path.basename(file)} is ${isLayersJson ? 'a model.json' : 'a model file (it exports createModel and loadData)'}: nothing would read them.`, 'Leave them out, or give the training script that reads them.');
  }
  if (!script && options.fitLine !== undefined) {
    throw new OptionError('fitLine', `${flagOf('fitLine')} picks a training script's fit call, and ${path.basename(file)} is ${isLayersJson ? 'a model.json' : 'a model file (it exports createModel and loadData)'}: it has none to pick.`, `Leave ${flagOf('fitLine')} out, or give the training script.`);
  }
  // A model file never waits for a fit call: the limit was accepted and meant nothing (--fit-line is refused the same way).
  if (!script && options.fitTimeout !== undefined) {
    throw new OptionError('fitTimeout', `${flagOf('fitTimeout')} limits how long a training script may run before its fit call, and ${path.basename(file)} is ${isLayersJson ? 'a model.json' : 'a model file (it exports createModel and loadData)'}: there is no fit call to wait for.`, `Leave ${flagOf('fitTimeout')} out, or give the training script.`);
  }
  // --data and --label give a model.json its data; a model file's loadData() or a script's fit call gives its own
  // (a user's `find-lr model.mjs --data x.csv --label foo` ran on loadData's data, x.csv never read, and did not exist).
  if (!isLayersJson && (options.data !== undefined || options.label !== undefined)) {
    // A folder given as the model is that first ("cls3 is a model file, whose loadData() gives its own").
    if (existsSync(file) && statSync(file).isDirectory()) checkSourceFile(file);
    const given = options.data !== undefined ? 'data' : 'label';
    throw new OptionError(given, `${flagOf(given)} gives a tfjs model.json its data; ${path.basename(file)} is ${script ? "a training script, whose fit call gives its own" : 'a model file, whose loadData() gives its own'}, so it would be ignored.`, `Leave ${options.data !== undefined && options.label !== undefined ? `${flagOf('data')} and ${flagOf('label')}` : flagOf(given)} out, or give a model.json.`);
  }
  if (script && options.fitLine !== undefined) checkFitLine(file, checkNumberOption('fitLine', options.fitLine));
  if (script) {
    // A training script runs as `node script.js` would, from the folder lrlab runs in: its arguments
    // (after --) name paths from there, as typed at the shell. (The editor's engine starts in the
    // script's folder.) Not the model-file rule: a script is run, not imported.
    const { tf, report } = await tfLoading;
    throwIfAborted(signal);
    reporter.progress('loading', `Running ${path.basename(file)} up to its ${options.fitLine === undefined ? 'model.fit or fitDataset call' : `fit call at line ${options.fitLine}`}`, null, true);
    return loadScript(options, tf, report, signal, (text) => reporter.progress(WAITING_PHASE, text, null, true));
  }
  // The model file is bundled (esbuild-wasm runs in its own process) while tfjs and its wasm start;
  // its errors surface below, after tfjs's own.
  // One working-folder rule, CLI and editor alike: the user's code runs in the model file's folder.
  // The file's own checks (it exists, is a file, is JS/TS) before "Loading x.csv" is said: `find-lr x.csv`
  // said it was loading it, then that it cannot. A shipped bundle (a worker's) has no file here to check.
  if (!isLayersJson && shippedBundle(file) === undefined) checkSourceFile(file);
  if (!isLayersJson) useModelFolder(file);
  const building = isLayersJson ? null : bundleModelFile(file, signal);
  building?.catch(() => undefined);
  const moduleLoading = building === null ? null : loadModelModule(file, tfLoading.then((loaded) => loaded.tf), signal, building);
  moduleLoading?.catch(() => undefined);
  const { tf, report } = await tfLoading;
  throwIfAborted(signal);
  reporter.progress('loading', `Loading ${path.basename(file)}`, null, true);
  if (isLayersJson && (options.data === undefined || options.label === undefined)) {
    throw new OptionError(options.data === undefined ? 'data' : 'label', `A tfjs model.json needs ${flagOf('data')} file.csv and ${flagOf('label')} <column>.`);
  }
  // While esbuild still bundles, warm the training path (warmUp.ts); never longer than the bundle takes
  // (not its evaluation too: the turns before the user's code runs wait for a quiet loop, userCode.ts).
  if (building !== null) await warmUp(tf, 'light', building);
  const csvProgress = (fraction: number, rows: number): void => reporter.progress('loading', `Reading ${path.basename(options.data ?? '')}: ${Math.round(fraction * 100)}% (${formatCount(rows, 'row')})`, null, true);
  const csvModule = moduleLoading === null ? await loadLayersModelWithCsv({ modelJson: file, data: options.data!, label: options.label!, signal, onProgress: csvProgress }, tf) : null;
  const mod: UserModelModule = csvModule ?? (await moduleLoading!);
  throwIfAborted(signal);

  reporter.progress('loading', 'Running loadData()', null, true);
  seedProcess(options.seed ?? null);
  const dropout = dropoutProbe();
  const probe = await buildModel(mod, dropout.hp, { reporter, signal });
  // The FMA module's threads start and warm while loadData runs, where this model has products for them.
  startFmaWorkersFor(tf, probe, options.batchSize ?? OPTIONS.batchSize.default);
  try {
    if (probe.trainableWeights.length === 0) {
      // Else tfjs fails at the first step with "variableGrads() expects at least one …".
      throw new LrLabError('model-build', `The model createModel built has no trainable weights (${probe.layers.length} layer${probe.layers.length === 1 ? '' : 's'}${probe.layers.length === 0 ? '' : `: ${probe.layers.map((l) => l.getClassName()).join(', ')}`}), so there is nothing to train.`, { file, fix: 'Add a layer with weights (e.g. tf.layers.dense), or leave trainable: true on the layers to tune.' });
    }
    let raw: unknown;
    const loadStarted = performance.now();
    try {
      // A model file's loadData says when it is slow (or never settles); the CSV route's is LR Lab's own.
      // The CSV route's loadData is LR Lab's own reader: Ctrl-C keeps the CLI's handler (it stops between
      // records and the run ends as any cancel does, its output locks released), not the user-code default
      // that ended the process at once and left `.x.png.lrlab-lock` files and an empty --save folder.
      raw = isLayersJson ? await mod.loadData() : await awaitUserCode(() => mod.loadData(), { call: 'loadData()', file, reporter, signal });
    } catch (error) {
      throw userCodeError(error, file, 'loadData()');
    }
    throwIfAborted(signal);
    const { prepared, loss } = await inDataTerms(csvModule === null ? null : { file: options.data!, label: options.label!, rowLine: (sample) => csvModule.rowLine(sample) }, async () => {
      const ready = await prepareData(raw, tf, probe, { file, validationFraction: options.validationSplit ?? 0.2, seed: options.seed ?? 0, noteDatasetBatches: true, signal, onProgress: (text) => reporter.progress(WAITING_PHASE, text, null, true) });
      const resolved = resolveLoss(tf, mod, probe, ready.train.ys);
      // A held-out split is checked as part of loadData's train, at the user's own sample indices.
      checkLabels(tf, ready.train, resolved.name, probe, 'train', file, ready.origin?.train);
      checkLabels(tf, ready.validation, resolved.name, probe, ready.origin === undefined ? 'validation' : 'train', file, ready.origin?.validation);
      return { prepared: ready, loss: resolved };
    });
    const warnings: string[] = [...prepared.warnings];
    // A user's --validation-split 0.5 beside a loadData that returns its own validation split changed nothing, without a word.
    if (options.validationSplit !== undefined && prepared.validationFromFile === true) {
      warnings.push(`${flagOf('validationSplit')} ${options.validationSplit} is not used: loadData() in ${path.basename(file)} returns its own validation split, and LR Lab validates on it. Leave ${flagOf('validationSplit')} out, or return only train from loadData() to have LR Lab hold out that share.`);
    }
    if (report.note !== null) warnings.push(report.note);
    if (loss.source === 'inferred') {
      // A model.json has no createModel: its loss comes from the trainingConfig that model.save writes for a compiled model.
      const fix = isLayersJson
        ? `Save the compiled model with model.save(url, { includeOptimizer: true }): ${path.basename(file)} then carries its loss (trainingConfig), which LR Lab reads.`
        : `Compile the model in createModel() with the loss it trains with, or export loss from ${path.basename(file)}.`;
      warnings.push(inferredLossWarning(loss, fix));
    }
    const conflict = lossExportConflict(mod, probe);
    if (conflict !== null) warnings.push(conflict);
    const usesDropout = dropout.read();
    const compiled = resolveCompiledOptimizer(probe);
    const measures = modelMeasures(tf, mod.metrics, probe, loss, prepared, warnings, 'flag', csvModule?.featureNames() ?? null);
    return {
      tf,
      file,
      backend: report,
      buildModel: (hp) => buildModel(mod, hp),
      disposeModel,
      data: { train: prepared.train, validation: prepared.validation },
      loss,
      ...measures,
      compiledOptimizer: compiled,
      usesDropout,
      parameterCount: countParameters(probe),
      classNames: csvModule?.classNames() ?? null,
      loadSeconds: (performance.now() - loadStarted) / 1000,
      warnings,
    };
  } finally {
    disposeModel(probe);
  }
}

/**
 * The data's refusals in the CSV route's terms (`csv`: the --data file; null: a model file's own
 * loadData, whose words they already are). The route's loadData is LR Lab's own: a user's 3-row CSV
 * was told "loadData() gave 3 samples … return a validation split from loadData()", about model.json.
 */
async function inDataTerms<T>(csv: { file: string; label: string; rowLine(sample: number): number | undefined } | null, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (csv === null || !(error instanceof LrLabError)) throw error;
    if (error.code === 'loss' || error.code === 'shape') {
      // The label checks name loadData's arrays: "bin.json: … but train.ys sample 119 holds 3" for line 121 of the CSV.
      const csvName = path.basename(csv.file);
      const message = error.message
        .replace(/\b(?:train|validation)\.ys sample (\d+)/g, (whole, sample: string) => {
          const line = csv.rowLine(Number(sample));
          return line === undefined ? whole : `the label of row ${line} of ${csvName}`;
        })
        .replace(/\b(?:train|validation)\.ys has shape/g, `the labels of ${csvName} (${flagOf('label')} ${csv.label}) have shape`);
      if (message === error.message) throw error;
      return Promise.reject(new LrLabError(error.code, message, { file: path.resolve(csv.file), ...(error.fix === undefined || error.fix === null ? {} : { fix: error.fix }), cause: error }));
    }
    if (error.code !== 'data') throw error;
    const csvFile = csv.file;
    const name = `the CSV ${path.basename(csvFile)}`;
    const fix = (error.fix ?? '')
      .replace(/,? or return a validation split from loadData\(\)( \(it may repeat the training samples for a toy task\))?/, ' (rows: LR Lab holds out --validation-split of them to validate on)')
      .replace(/ in loadData\(\)/g, ` in ${name}`)
      .replace(/loadData\(\)/g, name);
    const message = error.message.replace(/loadData\(\)/g, name).replace(/^the CSV/, 'The CSV');
    return Promise.reject(new LrLabError('data', message, { file: path.resolve(csvFile), fix, cause: error }));
  }
}

/** Below this many validation samples a run warns that its validation readings are mostly chance. */
export const FEW_VALIDATION_SAMPLES = 30;

/**
 * The small-split note for a `--val-samples` below FEW_VALIDATION_SAMPLES where the split holds more
 * (a small split has its own note): `train --val-samples 5` judged on five samples without a word.
 */
export function fewValSamplesNote(valSamples: number | undefined, held: number): string[] {
  if (valSamples === undefined || valSamples >= FEW_VALIDATION_SAMPLES || valSamples >= held || held < FEW_VALIDATION_SAMPLES) return [];
  return [`${flagOf('valSamples')} ${valSamples}: the validation loss that verdicts and rankings read is averaged over ${formatCount(valSamples, 'sample')} of the ${held} held out, and moves by chance more than the differences it judges. Give at least ${FEW_VALIDATION_SAMPLES}, or leave ${flagOf('valSamples')} out to use all ${held}.`];
}

/**
 * What a loaded model is measured with beside its loss: its own metrics (its `metrics` export,
 * else its compile's) and the task's baseline from the labels. One place for both routes (model
 * files here, captured scripts and library models in capturedModel.ts); notes go to `warnings`,
 * naming what to change as their reader does (`naming`: the CLI's flags and loadData, or the library's options).
 */
export function modelMeasures(tf: Tf, exported: readonly string[] | undefined, model: tfjs.LayersModel, loss: { readonly name: string; readonly fn: LossFn }, data: { readonly train: Split; readonly validation: Split; readonly validationFromFile?: boolean }, warnings: string[], naming: OptionNaming = 'flag', featureNames: readonly string[] | null = null): Pick<LoadedModel, 'metrics' | 'baseline' | 'baselineReason' | 'chance' | 'accuracy' | 'inputsOffScale' | 'outputsOffStart'> {
  // A function whose name LR Lab does not know may compute a built-in loss all the same (a wrapper
  // arrow): known by its values, it is read as that loss (its baseline, its accuracy, its checks).
  const identified = baselineLossOf(loss.name) === null ? identifyLoss(tf, loss.fn, data.train) : null;
  const lossName = identified ?? loss.name;
  const outputUnits = model.outputs[0]?.shape.at(-1) ?? 1;
  const metrics = resolveMetrics(tf, exported, model, lossName, outputUnits);
  warnings.push(...metrics.warnings);
  const measured = taskBaseline(lossName, data, outputUnits, tf, loss.fn);
  const baseline = identified === null || measured.baseline === null ? measured : { ...measured, reason: `${measured.reason} (the loss function computes ${identified}, checked on the labels)` };
  const offScale = inputsOffScale(tf, model, data.train);
  if (offScale !== null) warnings.push(describeOffScaleInputs(offScale, featureNames));
  const offStart = outputsOffStart(tf, model, lossName, data.train, outputUnits);
  if (offStart !== null) warnings.push('offCentre' in offStart ? describeOffCentre(offStart.offCentre) : describeOffPrior(offStart.offPrior, offScale !== null));
  const { uneven, constant, zeroOne, narrow, rare } = labelChecks(lossName, data);
  if (uneven !== null) warnings.push(describeUnevenScales(uneven));
  if (constant !== null) warnings.push(describeConstantOutputs(constant));
  if (zeroOne !== null) warnings.push(describeHingeZeroOne(lossName, zeroOne));
  const twice = doubleActivation(lossName, model);
  if (twice !== null) warnings.push(twice);
  const unsquashed = missingActivation(lossName, model);
  if (unsquashed !== null) warnings.push(unsquashed);
  if (narrow !== null) warnings.push(describeNarrowValidation(narrow, naming));
  // (Under FEW_VALIDATION_SAMPLES in all, the warning below says it of every class.)
  // Where the validation split came from decides what makes it larger (--validation-split is ignored beside loadData's own).
  const given = data.validationFromFile === true;
  if (rare !== null && data.validation.count >= FEW_VALIDATION_SAMPLES) warnings.push(describeRareInValidation(rare, naming, given));
  const held = data.validation.count;
  if (held > 0 && held < FEW_VALIDATION_SAMPLES) {
    warnings.push(`The validation split has ${formatCount(held, 'sample')}: every verdict, epoch count and short-run ranking reads a validation loss averaged over so few, which moves by chance more than the differences they judge. Hold out more (at least ${FEW_VALIDATION_SAMPLES}; ${moreValidation(naming, given)}).`);
  }
  if (baseline.baseline === null) warnings.push(`No baseline (the loss of a model that learned nothing): ${baseline.reason}. Verdicts and hints judge learning without it.`);
  else if (constantLabels(baseline.baseline)) warnings.push(constantLabelsWarning(naming));
  // Under a loss LR Lab does not know at all (a custom function), the model's own accuracy metric says
  // how to read accuracy (engine/metrics.ts: acc/accuracy binary for one output unit, else
  // categorical): the run's accuracy (`valAccuracy`, the short runs' early accuracy) is read so — the
  // label-smoothed model's history had valAccuracy null beside its 16.8% — and the chance accuracy of
  // the validation labels judges it: it read "good — regularization and schedule are in balance" at
  // 16.8% against 16.7%. A known loss (a regression's, whatever metrics it lists) keeps its own.
  const custom = baselineLossOf(lossName) === null ? customAccuracyKind(metrics.metrics.map((m) => m.name), outputUnits) : null;
  const chance = baseline.baseline === null && custom !== null ? chanceOfLabels(data.validation, outputUnits, custom) : null;
  const kind = accuracyKindOf(lossName) ?? custom;
  // Binary accuracy rounds the output at 0.5 and compares it with the label itself: with labels between
  // 0 and 1 (an autoencoder's pixels, smoothed labels) it counts nothing a model learns. A user's sigmoid
  // autoencoder compiled with no metrics read "val acc 90.1%" — its background pixels' zeros.
  const accuracy = kind === 'binary' && softLabels(tf, data.train.ys) ? null : kind;
  return { metrics: metrics.metrics, baseline: baseline.baseline, baselineReason: baseline.reason, chance, accuracy, inputsOffScale: offScale !== null, outputsOffStart: offStart !== null };
}

/** Whether any label lies strictly between 0 and 1 (binary accuracy has no meaning for it). */
function softLabels(tf: Tf, ys: tfjs.Tensor): boolean {
  return readTensor(tf, () => tf.any(tf.logicalAnd(tf.greater(ys, 0), tf.less(ys, 1))))[0] === 1;
}

/** How a model's accuracy metric (its first of acc, accuracy, binaryAccuracy, categoricalAccuracy) reads its outputs; `null` without one. */
function customAccuracyKind(metricNames: readonly string[], outputUnits: number): 'binary' | 'categorical' | null {
  for (const name of metricNames) {
    const k = name.toLowerCase();
    if (k === 'binaryaccuracy') return 'binary';
    if (k === 'categoricalaccuracy') return 'categorical';
    if (k === 'acc' || k === 'accuracy') return outputUnits === 1 ? 'binary' : 'categorical';
  }
  return null;
}

/** Said when every training label is the same: the constant prediction is perfect (its loss is 0). */
/** Every label the same: said to the reader where the labels come from (a model file's loadData, a CSV, a script's fit; the library caller's data). */
export function constantLabelsWarning(naming: OptionNaming = 'flag'): string {
  const where = naming === 'flag' ? "the labels the data gives (loadData, the CSV's label column or the fit call)" : 'the labels passed to findLr (ys)';
  return `Every training label is the same, so predicting it is perfect (the baseline loss is 0): there is nothing to learn beyond that constant, and a learning rate found here only fits it. Check ${where}.`;
}

/** Runs the user's code in the model file's folder (a worker thread cannot change folder: it keeps its own). */
function useModelFolder(file: string): void {
  if (!isEngineProcess()) return; // engine code loaded in-process (tests) leaves the host's folder alone
  try {
    process.chdir(path.dirname(file));
  } catch {
    // a worker thread: process.chdir is not available there
  }
}

/** An error thrown by the user's own code: out-of-memory stays that; anything else names the function and file. */
function userCodeError(error: unknown, file: string, where: string): LrLabError {
  if (error instanceof LrLabError) return error;
  const mapped = toLrLabError(error);
  if (mapped.code === 'out-of-memory') {
    const detail = error instanceof Error ? error.message.split('\n')[0] ?? '' : thrownText(error);
    return new LrLabError('out-of-memory', `${where} ran out of memory (${detail}).`, { file, fix: 'Load a smaller subset for tuning, or install @tensorflow/tfjs-node (WebAssembly memory is limited to 4 GB).' });
  }
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
    return new LrLabError('data', `${where} threw: ${mapped.message} (relative paths in your code are resolved from ${process.cwd()}, the model file's folder).`, { file, fix: `Fix the path in ${where}, relative to the model file's folder.`, cause: error });
  }
  const stack = error instanceof Error ? error.stack ?? '' : '';
  const line = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(stack)?.[1];
  return new LrLabError('data', `${where} threw: ${mapped.message}`, { file, ...(line === undefined ? {} : { line: Number(line) }), fix: `Fix ${where} in the model file; it runs once per LR Lab run.`, cause: error });
}

/** One cache entry per model source (a shipped bundle of the same path with other code is another source). */
function keyOf(options: CommonRunOptions): string {
  const file = path.resolve(options.model);
  return JSON.stringify([file, shippedBundle(file)?.hash ?? null, options.data ?? null, options.label ?? null, options.validationSplit ?? null, options.seed ?? null, options.scriptArgs ?? [], options.fitLine ?? null]);
}

/** Starts (or reuses) this process's tfjs with the backend asked for; a scale-out worker reports it before any job. */
export async function engineBackend(options: CommonRunOptions): Promise<BackendReport> {
  return (await engineTf(options)).report;
}

/**
 * A long-lived worker keeps one model source loaded, for the trials of one run: every other is
 * dropped and its data tensors freed — all of them (`keep` null) when a new run starts, whose
 * `loadData()` may read other data from the same paths (a worker gave a second run curves of the
 * first run's data).
 */
export async function keepOnlyModel(options: CommonRunOptions | null): Promise<void> {
  const keep = options === null ? null : keyOf(options);
  for (const [key, entry] of [...models.entries()]) {
    if (key === keep) continue;
    models.delete(key);
    const loaded = await entry.catch(() => null);
    for (const split of loaded === null ? [] : [loaded.data.train, loaded.data.validation]) {
      split.xs.dispose();
      split.ys.dispose();
    }
  }
}

/**
 * A loaded model's data, told apart cheaply (a run on workers compares each worker's with its own: a
 * worker reading a stale synced copy of the CSV mixed its curves with this machine's baseline, silently).
 */
export function dataFingerprint(loaded: LoadedModel): DataFingerprint {
  const hash = createHash('sha256');
  for (const split of [loaded.data.train, loaded.data.validation]) {
    const values = split.ys.dataSync();
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return { train: loaded.data.train.count, validation: loaded.data.validation.count, labels: hash.digest('hex').slice(0, 16) };
}

/** `TrialPlan.data` for a study: this machine's fingerprint where its trials run on workers (`redis`), else nothing to compare. */
export function dataOnWorkers(redis: string | undefined, loaded: LoadedModel): { readonly data?: DataFingerprint } {
  return redis === undefined ? {} : { data: dataFingerprint(loaded) };
}

/** Loads (or reuses) everything a run needs for this model source. */
export async function loadForRun(options: CommonRunOptions, ctx: { reporter: Reporter; signal: AbortSignal }): Promise<LoadedModel> {
  markExperimentRan(); // the engine's code cache is worth writing from this process (launch.ts)
  workspaceOf(options); // a --workspace that is no folder fails here, whether or not tfjs is loaded yet
  // Every command seeds from it (the studies and the recipe never checked it): lrlab.seed 1.5 or 1e20 from the editor is refused, not rounded.
  // --validation-split is checked whether or not loadData() returns a validation split (1.5 was ignored there without a word).
  checkGivenNumbers(options, ['seed', 'validationSplit']);
  const key = keyOf(options);
  let loaded = models.get(key);
  if (loaded === undefined) {
    loaded = loadModel(options, ctx.reporter, ctx.signal);
    models.set(key, loaded);
    loaded.catch(() => models.delete(key));
  }
  return loaded;
}

/** Whether this process's training path has been warmed by a prepare (once is enough). */
let preparedWarm = false;

/**
 * Readies this engine for a run on `options.model` before it is asked for (the editor starts an
 * engine ahead when a model file is opened): tfjs and its backend, the model file's bundle (into
 * the bundle cache), and a warm training path. Runs no user code. Asked again (the editor saw
 * files saved), it bundles again: the warm-up is done once. A file that does not bundle is no
 * failure here (the run reports it, with its fix): the result says so, for the host's log.
 */
export async function prepareEngine(options: CommonRunOptions, runArrives?: Promise<void>): Promise<PrepareResult> {
  const { tf } = await engineTf(options);
  let bundleProblem: string | null = null;
  if (!path.resolve(options.model).toLowerCase().endsWith('.json')) {
    try {
      await prepareBundle(options.model);
    } catch (error) {
      const lrlab = toLrLabError(error);
      // Where it is: file:line, unless the message names the file itself ("model.js could not be compiled: …").
      const where = lrlab.file === null || (lrlab.line === null && lrlab.message.startsWith(path.basename(lrlab.file))) ? '' : `${path.basename(lrlab.file)}${lrlab.line === null ? '' : `:${lrlab.line}`}: `;
      bundleProblem = `${where}${lrlab.message}`;
    }
  }
  if (!preparedWarm) {
    preparedWarm = true;
    await warmUp(tf, 'full', runArrives);
  }
  return { bundleProblem };
}
