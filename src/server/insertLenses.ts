/**
 * The insertion lenses above `fit`: "Insert 1cycle schedule (max LR 0.3, min 0.03, momentum
 * 0.95→0.85)" and "Insert weight decay 1e-4" when the edit can be made. When it cannot — a run file
 * with a bad value, or a file whose style cannot be edited safely — the same lens says so and why
 * ("Can't insert 1cycle schedule: the callbacks come from makeCallbacks(…), …"), and clicking it
 * runs the command, which shows the reason with what to do. (LSP 3.17 commands carry no tooltip:
 * vscode-languageclient 9 drops one.) The lens runs the same edit builder as the command, so it
 * never offers what the command would refuse; building it never throws, whatever the values hold.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import ts from 'typescript';
import { initializingCall, receiverDeclaration } from './fitCallbacks';
import { compileOf, insertScheduleChanges, insertWeightDecayChanges } from './insertEdit';
import type { InsertOutcome } from './insertEdit';
import { checkSchedule, checkWeightDecay } from './codeValues';
import type { ScheduleValues } from './scheduleCode';
import type { WeightDecayValues } from './weightDecayCode';
import type { FitCall, ScanResult } from './scanner';
import { receiverName } from './scanner';
import { sourceLines } from '../core/modelFileText';
import { INSERT_SCHEDULE_COMMAND, INSERT_WEIGHT_DECAY_COMMAND } from '../protocol/serverMessages';

export interface LensDocument {
  readonly uri: string;
  readonly version: number;
  readonly fileName: string;
  readonly text: string;
}

/**
 * The schedule lens's title when it inserts: its values as the code will have them, and where the fit
 * it attaches to trains at another batch size than the range test ran at (`fitBatch`), both sizes.
 */
export function scheduleTitle(values: ScheduleValues, fitBatch: number | null = null): string {
  const checked = checkSchedule(values);
  if (!checked.ok) return "Can't insert 1cycle schedule";
  const v = checked.value;
  const fixed = typeof values.fixedMomentum === 'string' && FIXED_MOMENTUM.test(values.fixedMomentum) ? values.fixedMomentum : null;
  // Strictly true (run files are untrusted): the headline nothing was seen to learn at, as the panel marks it.
  const unconfirmed = values.unconfirmed === true ? ', unconfirmed' : '';
  // A range test at batch 16 (lrlab.batchSize) offered above a fit at 128 said nothing of it: the LR that
  // suits a batch grows with its size.
  const ranAt = values.batchSize;
  const otherBatch = typeof ranAt === 'number' && Number.isSafeInteger(ranAt) && ranAt >= 1 && fitBatch !== null && fitBatch !== ranAt ? `; found at batch ${ranAt}, this fit trains at ${fitBatch}` : '';
  return `Insert 1cycle schedule (max LR ${v.maxLr}, min ${v.minLr}${fixed !== null ? `; LR only: ${fixed}` : v.maxMomentum === v.minMomentum ? `, momentum ${v.maxMomentum}` : `, momentum ${v.maxMomentum}→${v.minMomentum}`}${unconfirmed}${otherBatch})`;
}

/** tfjs's batch size for `fit` where the call gives none. */
const TFJS_FIT_BATCH = 32;

/**
 * The batch size a `fit` call trains at where its text shows it: its options' `batchSize` literal, or
 * tfjs's 32 where the options (an object literal with no spread) give none; `null` where the text
 * cannot tell (a variable, a spread, `fitDataset`, whose dataset batches).
 */
export function fitBatchSize(fit: FitCall): number | null {
  if (fit.method !== 'fit') return null;
  const options = fit.node.arguments[2];
  if (options === undefined) return TFJS_FIT_BATCH;
  if (!ts.isObjectLiteralExpression(options)) return null;
  if (options.properties.some((p) => ts.isSpreadAssignment(p))) return null;
  const property = options.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === 'batchSize');
  if (property === undefined) return TFJS_FIT_BATCH;
  if (!ts.isPropertyAssignment(property) || !ts.isNumericLiteral(property.initializer)) return null;
  const value = Number(property.initializer.text);
  return Number.isSafeInteger(value) && value >= 1 ? value : null;
}

/** " for bigModel" where another fit's lens sits on the same line (`Promise.all([small.fit(…), big.fit(…)])`): which model each inserts into. */
function whose(fits: readonly FitCall[], index: number): string {
  const fit = fits[index]!;
  const together = fits.filter((other) => other.statementStart.line === fit.statementStart.line);
  if (together.length < 2) return '';
  // Fits of one model in one statement (`quick ? model.fit(…) : model.fit(…)`): which of them, in order.
  const ofModel = together.filter((other) => other.receiver === fit.receiver);
  if (ofModel.length < 2) return ` for ${fit.receiver}`;
  const nth = ofModel.indexOf(fit);
  return ` for ${fit.receiver}, its ${ORDINALS[nth] ?? `${nth + 1}th`} ${fit.method} call in this statement`;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** The only texts a run's `fixedMomentum` may show (run files are untrusted): an optimizer's name and why it keeps its momentum. */
const FIXED_MOMENTUM = /^[a-z]{2,10}(?: has no momentum|'s momentum is 0)$/;

/** The weight-decay lens's title when it inserts: the literal the code will have. */
export function weightDecayTitle(values: WeightDecayValues): string {
  const checked = checkWeightDecay(values);
  return checked.ok ? `Insert weight decay ${checked.value.weightDecay}` : "Can't insert weight decay";
}

/** A lens that inserts (`title`), or says why it cannot ("Can't insert <what>: reason"); `fit`: the index of the fit call it attaches to. */
function lens(line: number, title: string, what: string, outcome: InsertOutcome, command: string, document: LensDocument, fit: number): CodeLens {
  const refused = 'error' in outcome ? outcome.error : null;
  const notice = 'notice' in outcome ? outcome.notice : undefined;
  const caution = 'caution' in outcome ? outcome.caution : undefined;
  // What the insertion will say after it, said before it too.
  const checked = caution === undefined ? title : `${title} (check: ${caution.reason})`;
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    command: {
      title: refused !== null ? `Can't insert ${what}: ${refused.reason}` : notice !== undefined ? `${checked}, block only (${notice.reason}: the call is yours to add)` : checked,
      command,
      arguments: [document.uri, document.version, fit],
    },
  };
}

/**
 * Which fits a run's schedule is for. A training script's run names the fit call it tested
 * (`fitLine`, untrusted: a run file): the fits on the same model as that call (a warm-up and the
 * main fit); another model's fit in the file, compiled with another optimizer, was offered an LR
 * found for this one (an SGD model's 0.943 above an Adam model's fit). Without it (a model file's
 * run): every fit where the file trains one model; where it trains several, those of a model a
 * `createModel()` call makes (every fit where none is). A run from before `fitText` (format 17) goes by the line alone, as then: every
 * fit where no fit is at it now.
 *
 * With the call's line as the run kept it (`fitText`), edits since the run are allowed for. The fit at
 * `fitLine` counts while its line still reads the same; else the fit whose line does (several such
 * lines count where they train one model) — unless the fit still at `fitLine` may be the call edited
 * in place (the kept line names its receiver, or no receiver can be read from it) and is another
 * model's: two functions' identical `await model.fit(…)` lines, one edited, read the same as two
 * swapped models. With no line reading the same, the fit still at `fitLine` counts where the kept
 * line names its receiver (the call edited in place: other epochs). Whatever is not sure leaves every
 * fit where the file trains one model, and none where it trains several: a guess had put one model's
 * LR above the other's fit. Fits of one model with a `compile` of it between them are not the same
 * model here: the optimizer the run read is not the one the other fit trains with.
 */
function fitsOfRun(fits: readonly FitCall[], compiles: ScanResult['compileCalls'], text: string, fitLine: unknown, fitText: unknown): (fit: FitCall) => boolean {
  // The same name is not the same model where each function declares its own `model`: the
  // receiver's declaration decides where both have one the file shows. Nor is it the same optimizer
  // where the model is compiled again between the two fits (an 'sgd' warm-up, then momentum 0.9: the
  // warm-up's "LR only" lens above the main fit, whose momentum the block then cycled).
  const compiledBy = (fit: FitCall) => compiles.filter((c) => c.receiver === fit.receiver && c.line <= fit.nameLine).at(-1);
  const sameModel = (a: FitCall, b: FitCall): boolean => a.receiver === b.receiver && receiverDeclaration(a.node) === receiverDeclaration(b.node) && compiledBy(a) === compiledBy(b);
  if (typeof fitLine !== 'number' || !Number.isInteger(fitLine) || fitLine < 1) {
    // A model file's run is of createModel()'s model: where the file trains several, the fits of a
    // model made by a createModel() call (a plain-SGD baseline beside it was offered its LR).
    if (fits.every((f) => sameModel(f, fits[0]!))) return () => true;
    const made = fits.filter(madeByCreateModel);
    return made.length === 0 ? () => true : (fit) => made.includes(fit);
  }
  const ofModel = (tested: FitCall) => (fit: FitCall) => sameModel(fit, tested);
  const atLine = fits.find((f) => f.nameLine + 1 === fitLine);
  if (typeof fitText !== 'string') return atLine === undefined ? () => true : ofModel(atLine);
  const lines = sourceLines(text); // as the scanner's nameLine counts them
  const reads = (fit: FitCall): boolean => lines[fit.nameLine]?.trim() === fitText;
  if (atLine !== undefined && reads(atLine)) return ofModel(atLine);
  const kept = keptReceiver(fitText);
  const editedInPlace = atLine !== undefined && (kept === undefined || kept === atLine.receiver);
  const found = fits.filter(reads);
  if (found.length > 0 && found.every((f) => sameModel(f, found[0]!))) {
    if (!(editedInPlace && !sameModel(atLine, found[0]!))) return ofModel(found[0]!);
  } else if (found.length === 0 && atLine !== undefined && kept === atLine.receiver) {
    return ofModel(atLine);
  }
  return fits.every((f) => sameModel(f, fits[0]!)) ? () => true : () => false;
}

/**
 * The receiver of the one `fit`/`fitDataset` call on a kept line (`await student.fit(xs, teacher.predict(xs))`:
 * `student`), as the scanner names receivers; `undefined` where the line holds no such call with a
 * receiver it can name (a call split after its receiver, `  .fit(xs, ys)`) or several.
 */
function keptReceiver(line: string): string | undefined {
  const source = ts.createSourceFile('line.ts', line, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const receivers: (string | null)[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && (node.expression.name.text === 'fit' || node.expression.name.text === 'fitDataset')) {
      receivers.push(receiverName(node.expression.expression));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return receivers.length === 1 && receivers[0] !== null ? receivers[0] : undefined;
}

/** Whether the fit's receiver is a variable whose initializer calls `createModel` (`const model = await createModel()`). */
function madeByCreateModel(fit: FitCall): boolean {
  const declaration = receiverDeclaration(fit.node);
  return declaration !== null && initializingCall(declaration) === 'createModel';
}


/**
 * The schedule and weight-decay lenses of one document (none without a fit call): the schedule's
 * above each fit call, attaching to that one (a warm-up fit and the main fit are both offered).
 * The weight decay's sits above `model.compile`, where the optimizer is configured, when the file
 * has one fit call (at the fit statement, where the block goes, when the file does not compile the
 * model itself); with several, above each.
 */
export function insertLenses(document: LensDocument, result: ScanResult, schedule: ScheduleValues | undefined, weightDecay: WeightDecayValues | undefined): CodeLens[] {
  const fits = result.fitCalls;
  if (fits.length === 0) return [];
  const lenses: CodeLens[] = [];
  if (schedule !== undefined) {
    const run = schedule as { readonly fitLine?: unknown; readonly fitText?: unknown } | null; // a hostile run file can make them anything, null included
    const ofRun = fitsOfRun(fits, result.compileCalls, document.text, run?.fitLine, run?.fitText);
    fits.forEach((fit, index) => {
      if (!ofRun(fit)) return;
      const outcome = insertScheduleChanges(document.fileName, document.text, schedule, { scanned: result, fit: index });
      lenses.push(lens(fit.statementStart.line, `${scheduleTitle(schedule, fitBatchSize(fit))}${whose(fits, index)}`, '1cycle schedule', outcome, INSERT_SCHEDULE_COMMAND, document, index));
    });
  }
  if (weightDecay !== undefined) {
    fits.forEach((fit, index) => {
      const outcome = insertWeightDecayChanges(document.fileName, document.text, weightDecay, { scanned: result, fit: index });
      // Above the compile of the model this fit trains (a teacher's compile above a student's fit inserted into the student).
      const compile = fits.length === 1 ? compileOf(result, fit) : null;
      const line = compile?.line ?? fit.statementStart.line;
      lenses.push(lens(line, `${weightDecayTitle(weightDecay)}${whose(fits, index)}`, 'weight decay', outcome, INSERT_WEIGHT_DECAY_COMMAND, document, index));
    });
  }
  return lenses;
}
