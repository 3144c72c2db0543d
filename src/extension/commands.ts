/**
 * Command handlers. Each asks only what it must: the model file defaults to the active editor's
 * file when it is a model file, else a quick pick of the workspace's model files; options come
 * from settings. Running model code needs a trusted workspace. Every prompt keeps its place when
 * focus moves (`ignoreFocusOut`): a run finishing in the panel, a notification or the history
 * view refreshing must not throw away a half-typed answer.
 */
import { promises as fs } from 'node:fs';
import { brief } from './notificationText';
import path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../protocol/commandIds';
import type { AnyResult } from '../protocol/results';
import type { LabContext } from './ctx';
import { findModelFiles, isModelDocument } from './modelFiles';
import { batchSizeRequest, findLrRequest, momentumRequest, recipeRequest, sweepRequest, trainRequest } from './config';
import { OVERRIDABLE, parseOverrides } from './settings';
import type { LrRange, OptimizerName } from '../protocol/results';
import { OPTIMIZER_NAMES } from '../protocol/results';
import type { RequestSources } from '../protocol/options';
import { MAX_INSERTED_LR } from '../protocol/options';
import { schedulePreview } from './schedulePreview';
import { learningRateInput, parseDuration } from '../protocol/optionRules';
import { formatCount, formatLr, formatWeightDecay, modelName } from '../protocol/format';
import { recommendedOf } from '../protocol/rangeView';
import { LrPanel } from './lrPanel';
import { exportRun } from './exporter';
import { reportError, userAction } from './userErrors';
import { recipeCancelledText } from './runState';
import { fileSchedules, usableRange } from './fileSchedules';

export function registerCommands(ctx: LabContext): void {
  const command = <A extends unknown[]>(id: string, handler: (...args: A) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, (...args: A) => userAction(ctx.output, () => handler(...args)));
  ctx.subscriptions.push(
    command(COMMANDS.findLearningRate, (uri?: vscode.Uri, fitLine?: unknown) => findLearningRate(ctx, uri, fitLine)),
    command(COMMANDS.findLearningRateWithOptions, (uri?: vscode.Uri) => findLearningRateWithOptions(ctx, uri)),
    command(COMMANDS.compareRegularization, (uri?: vscode.Uri) => compareRegularization(ctx, uri)),
    command(COMMANDS.trainOneCycle, (uri?: vscode.Uri) => trainOneCycle(ctx, uri)),
    command(COMMANDS.runRecipe, (uri?: vscode.Uri) => runRecipe(ctx, uri)),
    command(COMMANDS.momentumStudy, (uri?: vscode.Uri) => momentumStudy(ctx, uri)),
    command(COMMANDS.batchSizeStudy, (uri?: vscode.Uri) => batchSizeStudy(ctx, uri)),
    command(COMMANDS.cancelRun, () => cancelRun(ctx)),
    command(COMMANDS.exportChart, () => exportChart(ctx)),
    command(COMMANDS.showHistory, () => vscode.commands.executeCommand('lrlab.sidebar.focus')),
    command(COMMANDS.previewSchedule, () => previewSchedule(ctx)),
    command(COMMANDS.setUpModelFile, (uri?: string | vscode.Uri) => setUpModelFile(uri)),
  );
}

async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage('LR Lab runs your model file to train it, so it needs a trusted workspace. Nothing was run.', manage);
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/** The model file: the argument, the active editor when it is one, or a pick. */
async function pickModelFile(uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (uri !== undefined) return uri;
  const editor = vscode.window.activeTextEditor;
  if (editor !== undefined && isModelDocument(editor.document)) return editor.document.uri;
  const files = await findModelFiles();
  if (files.length === 0) {
    void vscode.window.showErrorMessage('LR Lab: no model file in this workspace. LR Lab runs a .ts/.js module that exports createModel(hp) and loadData(), or a training script that calls model.fit — see the LR Lab README.');
    return undefined;
  }
  if (files.length === 1) return files[0];
  const picked = await vscode.window.showQuickPick(
    files.map((f) => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(f), uri: f })),
    { title: 'LR Lab: which model?', ignoreFocusOut: true, placeHolder: 'Model files (createModel + loadData) and training scripts (model.fit)' },
  );
  return picked?.uri;
}

function summary(result: AnyResult): string {
  // A tie is said as one (the panel said "a tie … these range tests do not separate them" under a notification's "best: wd 1e-4").
  if (result.kind === 'sweep') return result.best === null ? 'best: none' : /^A tie\b/.test(result.reason) ? (result.reason.split(/(?<=\.)\s/)[0] ?? result.reason) : `best: ${result.curves[result.best]?.label ?? ''}`;
  if (result.kind === 'recipe') return result.recommendation === null ? (recipeCancelledText(result) ?? 'no recommendation') : `max LR ${formatLr(result.recommendation.lr.maxLr)}, batch ${result.recommendation.batchSize}, wd ${formatWeightDecay(result.recommendation.weightDecay)}, ${formatCount(result.recommendation.epochs, 'epoch')}`;
  if (result.kind === 'momentum' || result.kind === 'weight-decay' || result.kind === 'batch-size') return result.reason;
  // No verdict: the reason says why ("Cancelled at epoch 3 of 10, … no verdict on an unfinished cycle").
  if (result.kind === 'train') return result.diagnosis.verdict === null ? result.diagnosis.reason : `${result.diagnosis.verdict}: ${result.diagnosis.reason}`;
  if (result.stopReason === 'cancelled') return `cancelled after ${formatCount(result.points.length, 'step')}`;
  const headline = recommendedOf(result);
  return headline === null ? `no recommended LR: ${result.reasons.range}` : `recommended max LR ${formatLr(headline.maxLr)}, min LR ${formatLr(headline.minLr)}: ${headline.reason}`;
}

/** What an experiment command runs on: the model, its workspace folder, and the run in progress the user agreed to cancel for it. */
interface Target {
  readonly model: vscode.Uri;
  readonly workspace: string | undefined;
  /** The run the user chose "Cancel it and start" for: cancelled only when the new run starts. */
  readonly replaces: string | null;
}

/** Asks whether to cancel the run in progress for a new one; the run id agreed to, or undefined where the user keeps it. */
async function agreeToReplace(ctx: LabContext): Promise<string | null | undefined> {
  if (ctx.activeRun === null) return null;
  const stop = 'Cancel it and start';
  const choice = await vscode.window.showWarningMessage(`LR Lab: a run on ${ctx.activeRun.label} is in progress.`, stop, 'Keep it');
  return choice === stop ? (ctx.activeRun?.runId ?? null) : undefined;
}

/**
 * Trust, model file, and the one-run-at-a-time rule: what every experiment command checks first. The
 * run in progress is only asked about here: it is cancelled once the new run's own prompts are answered
 * (`start`), so escaping them leaves it running (trial Z #8: it was cancelled at once, and an escaped
 * prompt then left no run at all).
 */
async function prepare(ctx: LabContext, uri: vscode.Uri | string | undefined): Promise<Target | undefined> {
  if (!(await requireTrust())) return undefined;
  // CodeLenses from the language server pass the document URI as a string.
  const model = await pickModelFile(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri);
  if (model === undefined) return undefined;
  const replaces = await agreeToReplace(ctx);
  if (replaces === undefined) return undefined;
  return { model, workspace: vscode.workspace.getWorkspaceFolder(model)?.uri.fsPath, replaces };
}

/**
 * Cancels the run the user agreed to replace and waits for its end. Another run started meanwhile (from
 * another command, while this one's prompts were open) is asked about again; false where it is kept.
 */
async function makeRoom(ctx: LabContext, target: Target): Promise<boolean> {
  while (ctx.activeRun !== null) {
    const running = ctx.activeRun;
    if (running.runId !== target.replaces && (await agreeToReplace(ctx)) === undefined) return false;
    running.cancel();
    await running.done;
  }
  return true;
}

/**
 * A run's label (panel title, notifications, history): the model's name, and in a multi-root
 * workspace its path from the folder, with the folder's name (gamma/net.js and delta/net.js read
 * alike as net.js).
 */
function runLabel(model: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(model);
  return folder !== undefined && (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? vscode.workspace.asRelativePath(model, true) : modelName(model.fsPath);
}

async function start(ctx: LabContext, request: Parameters<LabContext['startRun']>[0], target: Target): Promise<void> {
  if (!(await makeRoom(ctx, target))) return;
  const label = runLabel(target.model);
  await ctx.startRun(request, label, (result, runId) => {
    // The notification says the first sentence "(more in the panel)": its button opens the run's panel, closed or not.
    const open = 'Open Panel';
    void vscode.window.showInformationMessage(`LR Lab: ${label} — ${brief(summary(result))}`, open).then((choice) => {
      const run = ctx.store.get(runId);
      if (choice === open && run !== undefined) ctx.showRun(run);
    });
  }, (error) => reportError(ctx.output, error));
}

/** `fitLine`: the line of the fit call whose lens was clicked, in a training script with several. */
async function findLearningRate(ctx: LabContext, uri: vscode.Uri | undefined, fitLine?: unknown): Promise<void> {
  const target = await prepare(ctx, uri);
  if (target === undefined) return;
  const line = typeof fitLine === 'number' && Number.isInteger(fitLine) && fitLine >= 1 ? { fitLine } : {};
  await start(ctx, { ...findLrRequest(target.model, target.workspace), ...line }, target);
}

async function findLearningRateWithOptions(ctx: LabContext, uri: vscode.Uri | undefined): Promise<void> {
  const target = await prepare(ctx, uri);
  if (target === undefined) return;
  const request = findLrRequest(target.model, target.workspace);
  const current = OVERRIDABLE.flatMap((k) => (request[k] === undefined ? [] : [`${k}=${String(request[k])}`])).join(' ');
  const text = await vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: 'LR Lab: find learning rate with options',
    prompt: `Options for this run (name=value, space-separated; the rest come from settings, model.compile or the defaults): ${OVERRIDABLE.join(', ')}`,
    value: current,
    validateInput: (t) => parseOverrides(t).error ?? undefined,
  });
  if (text === undefined) return;
  const { values } = parseOverrides(text);
  const sources: RequestSources = { ...request.sources, ...Object.fromEntries(Object.keys(values).map((k) => [k, 'flag' as const])) };
  await start(ctx, { ...request, ...values, sources }, target);
}

function numberList(text: string): number[] | null {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const values = parts.map(Number);
  return values.every((v) => Number.isFinite(v) && v >= 0 && v < 1) ? values : null;
}

async function compareRegularization(ctx: LabContext, uri: vscode.Uri | undefined): Promise<void> {
  const target = await prepare(ctx, uri);
  if (target === undefined) return;
  const validate = (text: string): string | undefined => (text.trim() === '' || numberList(text) !== null ? undefined : 'Comma-separated values in [0, 1), e.g. 1e-2,1e-3,1e-4');
  const wd = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: compare regularization', prompt: 'Weight decay values (empty: the grid for this model size)', value: '', validateInput: validate });
  if (wd === undefined) return;
  const dropout = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: compare regularization', prompt: 'Dropout values (empty: none; createModel must read hp.dropout)', value: '', validateInput: validate });
  if (dropout === undefined) return;
  const wdValues = wd.trim() === '' ? null : numberList(wd);
  const dropoutValues = dropout.trim() === '' ? null : numberList(dropout);
  const lists = { ...(wdValues === null ? {} : { wd: wdValues }), ...(dropoutValues === null ? {} : { dropout: dropoutValues }) };
  await start(ctx, sweepRequest(target.model, target.workspace, lists), target);
}

/**
 * The LR range to train with, as the Insert lens offers it (fileSchedules.ts): the latest range test
 * or recipe of this model (the range the user chose, else the headline), and the optimizer it was
 * found with (the run is told, and says so where it trains another).
 */
function latestRange(ctx: LabContext, model: string): (LrRange & { readonly found: { readonly lrFoundWith?: OptimizerName; readonly lrFoundAtBatch?: number }; readonly by: string; readonly momentum: { readonly max: number; readonly min: number }; readonly fixedMomentum?: string }) | null {
  const schedule = fileSchedules(ctx.store.all(), (file) => file).find((s) => s.uri === model);
  if (schedule === undefined) return null;
  // Values the Insert lens would refuse (a crafted or damaged run file) are not offered either.
  if (!usableRange(schedule)) {
    ctx.output.warn(`the latest run of ${modelName(model)} has an unusable LR range (max ${String(schedule.maxLr)}, min ${String(schedule.minLr)}; the editor offers (0, ${MAX_INSERTED_LR}]): not offered`);
    return null;
  }
  const run = ctx.store.all().find((r) => r.runId === schedule.runId);
  const optimizer = OPTIMIZER_NAMES.includes(schedule.optimizer as OptimizerName) ? (schedule.optimizer as OptimizerName) : undefined;
  const found = { ...(optimizer === undefined ? {} : { lrFoundWith: optimizer }), ...(schedule.batchSize === undefined ? {} : { lrFoundAtBatch: schedule.batchSize }) };
  return {
    maxLr: schedule.maxLr,
    minLr: schedule.minLr,
    found,
    by: run?.kind === 'recipe' ? 'recipe' : 'range test',
    momentum: { max: schedule.maxMomentum, min: schedule.minMomentum },
    ...(schedule.fixedMomentum === undefined ? {} : { fixedMomentum: schedule.fixedMomentum }),
  };
}

/** The input box's prompt for a max LR found by `found` (its run, the optimizer and batch size it was found with). */
function foundPrompt(found: ReturnType<typeof latestRange> & object): string {
  const { lrFoundWith, lrFoundAtBatch } = found.found;
  const how = [lrFoundWith === undefined ? null : `with ${lrFoundWith}`, lrFoundAtBatch === undefined ? null : `at batch ${lrFoundAtBatch}`].filter((x) => x !== null).join(' ');
  return `Maximum learning rate (from your latest ${found.by}${how === '' ? '' : `, found ${how}`})`;
}

async function trainOneCycle(ctx: LabContext, uri: vscode.Uri | undefined): Promise<void> {
  const target = await prepare(ctx, uri);
  if (target === undefined) return;
  const found = latestRange(ctx, target.model.fsPath);
  const maxLr = await vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: 'LR Lab: train with 1cycle',
    prompt: found === null ? 'Maximum learning rate (run "Find learning rate" first to get one)' : foundPrompt(found),
    value: found === null ? '0.1' : formatLr(found.maxLr),
    validateInput: learningRateInput,
  });
  if (maxLr === undefined) return;
  const epochs = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: train with 1cycle', prompt: 'Epochs', value: '5', validateInput: (t) => (/^\d+$/.test(t.trim()) && Number(t) >= 1 ? undefined : 'A whole number ≥ 1') });
  if (epochs === undefined) return;
  const max = Number(maxLr);
  const taken = found !== null && Math.abs(found.maxLr - max) / max < 1e-2;
  const schedule = taken ? { maxLr: max, minLr: found.minLr } : { maxLr: max };
  await start(ctx, trainRequest(target.model, target.workspace, { policy: 'smith', schedule, epochs: Number(epochs), ...(taken ? found.found : {}) }), target);
}

function cancelRun(ctx: LabContext): void {
  if (ctx.activeRun === null) {
    void vscode.window.showInformationMessage('LR Lab: no run in progress.');
    return;
  }
  ctx.activeRun.cancel();
}

async function exportChart(ctx: LabContext): Promise<void> {
  const runId = LrPanel.active?.shownRunId ?? ctx.store.latest()?.runId;
  const run = runId === undefined || runId === null ? undefined : ctx.store.get(runId);
  if (run === undefined) {
    void vscode.window.showInformationMessage('LR Lab: nothing to export yet; run "Find learning rate" first.');
    return;
  }
  const format = await vscode.window.showQuickPick([
    { label: 'CSV', description: 'every point: lr, loss, smoothed, …', value: 'csv' as const },
    { label: 'JSON', description: 'the full result with suggestions and reasons', value: 'json' as const },
    { label: 'PNG', description: 'the chart as drawn', value: 'png' as const },
  ], { title: 'LR Lab: export as', ignoreFocusOut: true });
  if (format === undefined) return;
  if (format.value !== 'png') {
    await exportRun(run, format.value);
    return;
  }
  const png = (await LrPanel.active?.requestPng()) ?? null;
  if (png === null) {
    void vscode.window.showInformationMessage('LR Lab: no chart to export as PNG; open the run in the LR Lab panel first (CSV and JSON need no chart).');
    return;
  }
  await exportRun(run, 'png', png);
}

function positiveNumber(text: string): string | undefined {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? undefined : 'Enter a number greater than 0, e.g. 0.1';
}

async function previewSchedule(ctx: LabContext): Promise<void> {
  // The schedule the Insert lens puts in (Smith's cycle, min = max/10); it previewed PyTorch's OneCycleLR,
  // another curve (start at max/25, end at max/2.5e5), beside a lens that inserts this one.
  const editor = vscode.window.activeTextEditor;
  const found = editor === undefined ? null : latestRange(ctx, editor.document.uri.fsPath);
  const maxLr = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: 1cycle preview', prompt: 'Maximum learning rate', value: found === null ? '0.1' : String(found.maxLr), validateInput: learningRateInput });
  if (maxLr === undefined) return;
  const total = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: 1cycle preview', prompt: 'Total training steps (batches × epochs)', value: '1000', validateInput: positiveNumber });
  if (total === undefined) return;
  // A bad value throws an LrLabError naming it: reported by the command's userAction.
  for (const line of schedulePreview(found, maxLr, Number(total))) ctx.output.info(line);
  ctx.output.show(true);
}

const durationInput = (text: string): string | undefined => (parseDuration(text) === undefined ? 'A duration like 90s, 5m or 1h' : undefined);

async function runRecipe(ctx: LabContext, uri: vscode.Uri | undefined): Promise<void> {
  const target = await prepare(ctx, uri);
  if (target === undefined) return;
  const budget = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: run tuning recipe', prompt: 'Time budget for the whole recipe (range test, batch size, momentum, weight decay, 1cycle run)', value: '5m', validateInput: durationInput });
  if (budget === undefined) return;
  const seconds = parseDuration(budget);
  if (seconds === undefined) return;
  await start(ctx, recipeRequest(target.model, target.workspace, seconds), target);
}

async function momentumStudy(ctx: LabContext, uri: vscode.Uri | undefined): Promise<void> {
  const target = await prepare(ctx, uri);
  if (target === undefined) return;
  const found = latestRange(ctx, target.model.fsPath);
  const maxLr = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: momentum study', prompt: found === null ? 'Maximum learning rate of the short 1cycle runs (run "Find learning rate" first to get one)' : foundPrompt(found), value: found === null ? '0.1' : formatLr(found.maxLr), validateInput: learningRateInput });
  if (maxLr === undefined) return;
  const taken = found !== null && Math.abs(found.maxLr - Number(maxLr)) / Number(maxLr) < 1e-2;
  await start(ctx, momentumRequest(target.model, target.workspace, Number(maxLr), taken ? found.found : undefined), target);
}

async function batchSizeStudy(ctx: LabContext, uri: vscode.Uri | undefined): Promise<void> {
  const target = await prepare(ctx, uri);
  if (target === undefined) return;
  const sizes = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: batch size study', prompt: 'Batch sizes to compare', value: '32,64,128,256', validateInput: (t) => (t.split(',').every((p) => /^\s*\d+\s*$/.test(p) && Number(p) >= 1) ? undefined : 'Comma-separated whole numbers, e.g. 32,64,128') });
  if (sizes === undefined) return;
  const budget = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'LR Lab: batch size study', prompt: 'Wall-clock time of the whole study (each size: engine start-up, range test and 1cycle run)', value: '5m', validateInput: durationInput });
  if (budget === undefined) return;
  const seconds = parseDuration(budget);
  if (seconds === undefined) return;
  await start(ctx, batchSizeRequest(target.model, target.workspace, sizes.split(',').map(Number), seconds), target);
}

const TEMPLATE = `// LR Lab model file: LR Lab runs createModel() and loadData() to tune your training.
import * as tf from '@tensorflow/tfjs';

/** A new model on every call (fresh weights); read hp.dropout if you want dropout compared. */
export function createModel(hp: { dropout?: number } = {}): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [/* features */ 4] }));
  if ((hp.dropout ?? 0) > 0) model.add(tf.layers.dropout({ rate: hp.dropout ?? 0 }));
  model.add(tf.layers.dense({ units: /* classes */ 3, activation: 'softmax' }));
  return model;
}

/** Your data: tensors, nested arrays or a tf.data.Dataset of { xs, ys }. */
export async function loadData(): Promise<{ train: { xs: tf.Tensor; ys: tf.Tensor }; validation?: { xs: tf.Tensor; ys: tf.Tensor } }> {
  throw new Error('load your training data here');
}

export const loss = 'categoricalCrossentropy';
`;

/** "Set up for LR Lab": a guide and, when asked, a template model file beside the user's (never a rewrite of theirs). */
async function setUpModelFile(uri: string | vscode.Uri | undefined): Promise<void> {
  const source = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
  const create = 'Create template beside it';
  const choice = await vscode.window.showInformationMessage('LR Lab needs a model file that exports createModel(hp) and loadData(). Your training code stays as it is: a template file beside it (lrlab.model.ts) has both, for you to fill in by calling your own model builder and data loader.', create);
  if (choice !== create || source === undefined) return;
  const target = vscode.Uri.joinPath(source, '..', 'lrlab.model.ts');
  const existed = (): void => void vscode.window.showInformationMessage('LR Lab: lrlab.model.ts already exists; opened it.');
  if (target.scheme === 'file') {
    // Exclusive create: a file made in the meantime (another window, the user) is never overwritten.
    try {
      await fs.writeFile(target.fsPath, TEMPLATE, { encoding: 'utf8', flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      existed();
    }
  } else {
    try {
      await vscode.workspace.fs.stat(target);
      existed();
    } catch {
      await vscode.workspace.fs.writeFile(target, Buffer.from(TEMPLATE, 'utf8'));
    }
  }
  await vscode.window.showTextDocument(target);
}
