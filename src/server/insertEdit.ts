/**
 * The text changes of "Insert 1cycle schedule" and "Insert weight decay" for one `fit` call (the
 * one the lens is above): each is a marked block defining a callback factory, put before the `fit`
 * statement (or in place of its existing block — re-inserting replaces, never duplicates: one block
 * per file; a block whose markers do not pair up, or a factory declared outside one, is refused:
 * guessing its end could delete the user's code), and a call of the factory with the model,
 * `lrlabOneCycle(model)`, put last in that `fit`'s callbacks (src/server/fitCallbacks.ts says where,
 * in each style, or why the file's style cannot be edited safely). The two blocks have their own
 * markers and factories, so they coexist in one file and one callbacks array. A factory already
 * called in this fit's arguments, or anywhere LR Lab does not trace to a fit (a callbacks variable),
 * is not attached again; another fit's lens adds its call too. A call left by an older LR Lab
 * without the model, `lrlabOneCycle()`, gets its fit's. Refused before anything else: a file that
 * does not parse, and a schedule for a fit that trains one model round after round in a loop. The
 * values are checked first (src/server/codeValues.ts): a run file with a bad value makes no code,
 * only a reason. The blocks are indented like the file: its base indentation at the `fit` statement
 * and its indentation step (tabs, two or four spaces) inside; every change is written with the
 * file's line ending (CRLF or LF, the dominant one when the file mixes them).
 */
import ts from 'typescript';
import { BLOCK_END, BLOCK_START, CALLBACK_FACTORY, scheduleBlock } from './scheduleCode';
import type { BlockStyle, ScheduleValues } from './scheduleCode';
import { WD_BLOCK_END, WD_BLOCK_START, WD_CALLBACK_FACTORY, weightDecayBlock } from './weightDecayCode';
import type { WeightDecayValues } from './weightDecayCode';
import { familyOf, looseMarkerLines, markerLines, scan } from './scanner';
import type { FitCall, ScanResult, TextRange } from './scanner';
import { attachPlan, bindsName, declarationOf, initializingCall, modelArgument, receiverDeclaration, unwrap } from './fitCallbacks';
import type { Refusal, TextChange } from './fitCallbacks';
import { checkSchedule, checkWeightDecay } from './codeValues';
import { typedSyntax } from './typedCode';
import { unsizedDataset, untracedDataset } from './datasetSize';
import { otherLrSchedules } from './otherSchedules';
import type { Checked } from './codeValues';

export type { TextChange } from './fitCallbacks';

/**
 * The edit, or why there is none. `notice`: the block goes in but its call does not — LR Lab cannot
 * edit the fit's callbacks (a spread, a variable used elsewhere), and the user adds the call, which
 * needs the block's factory in the file (a refusal that said "add lrlabOneCycle(model) yourself" to
 * a file without it was a dead end). `caution`: block and call went in, with something the user must
 * check that LR Lab cannot see (a `fitDataset` dataset it cannot follow: it may need `batchesPerEpoch`).
 */
export type InsertOutcome = { readonly changes: TextChange[]; readonly notice?: Refusal; readonly caution?: Refusal } | { readonly error: Refusal };

/** One kind of marked callback block: its markers, its factory's name, and its code. */
interface CallbackBlock {
  readonly start: string;
  readonly end: string;
  readonly factory: string;
  /** For messages: "the schedule", "the weight decay". */
  readonly what: string;
  readonly render: (style: BlockStyle) => string;
  /** For a callback whose effect starts over with every fit (the schedule): the fix when its fit runs in a loop. */
  readonly inLoop?: (method: string) => string;
  /** The optimizer the values were found with (the schedule's run): refused where the fit's model compiles another family. */
  readonly ranWith?: unknown;
  /** For a callback that counts the fit's steps (the schedule): refuse a `fitDataset` whose epochs have no known length. */
  readonly countsSteps?: true;
}

/** Which fit call an insertion attaches to, and the file's scan when the caller has it already (the lenses). */
export interface InsertAt {
  /** The index of the fit call in the scan's `fitCalls` (the lens above it passes it); the first when absent. */
  readonly fit?: number;
  readonly scanned?: ScanResult;
}

export function insertScheduleChanges(fileName: string, text: string, values: ScheduleValues, at: InsertAt = {}): InsertOutcome {
  const checked = checkSchedule(values);
  if (!checked.ok) return refusedValues(checked, 'the schedule');
  const v = checked.value;
  // lrlab's oneCycle (src/lib/oneCycle.ts) resumes at a fit's initialEpoch; the inserted block cannot know the loop's length.
  const inLoop = (method: string): string => `train with one ${method} of all the epochs, or, with lrlab's library, make one \`oneCycle({ maxLr: ${v.maxLr}, minLr: ${v.minLr}, maxMomentum: ${v.maxMomentum}, baseMomentum: ${v.minMomentum}, totalSteps })\` before the loop (totalSteps: the loop's batches in all) and pass it to every ${method} with \`initialEpoch: e\`: it resumes the cycle there`;
  return insertCallbackBlock(at.scanned ?? scan(fileName, text), fileName, text, { start: BLOCK_START, end: BLOCK_END, factory: CALLBACK_FACTORY, what: 'the schedule', render: (style) => scheduleBlock(v, style), inLoop, countsSteps: true, ranWith: (values as { readonly optimizer?: unknown }).optimizer }, at.fit ?? 0);
}

export function insertWeightDecayChanges(fileName: string, text: string, values: WeightDecayValues, at: InsertAt = {}): InsertOutcome {
  const checked = checkWeightDecay(values);
  if (!checked.ok) return refusedValues(checked, 'the weight decay');
  const scanned = at.scanned ?? scan(fileName, text);
  const outcome = insertCallbackBlock(scanned, fileName, text, { start: WD_BLOCK_START, end: WD_BLOCK_END, factory: WD_CALLBACK_FACTORY, what: 'the weight decay', render: (style) => weightDecayBlock(checked.value, style) }, at.fit ?? 0);
  if (!('changes' in outcome) || outcome.caution !== undefined) return outcome;
  // Layers that decay by their own regularizer: the inserted decay adds to it, silently before (a user's
  // l2 0.01 layers took 0.05 more: 0.07 per step, and a comment saying layers take none).
  const own = ownRegularizer(scanned.source);
  if (own === null) return outcome;
  return {
    ...outcome,
    caution: {
      reason: `the model's layers have a regularizer of their own (\`${own.key}: ${shortText(own.text)}\`, line ${own.line}): the inserted weight decay adds to it, as it did in LR Lab's runs, which trained with the model's own regularizers — the decay the model gets is both`,
      fix: `keep both to train as LR Lab measured; to decay by LR Lab's value alone, remove the layers' ${own.key} and compare weight decays again (Undo removes the weight decay)`,
    },
  };
}

/** A layer option that regularizes weights (`kernelRegularizer: tf.regularizers.l2(…)`), the first in the file, or null. */
function ownRegularizer(source: ts.SourceFile): { readonly key: string; readonly text: string; readonly line: number } | null {
  let found: { key: string; text: string; line: number } | null = null;
  const visit = (node: ts.Node): void => {
    if (found !== null) return;
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && WEIGHT_REGULARIZERS.has(node.name.text)) {
      const value = unwrap(node.initializer);
      const none = value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined');
      if (!none) found = { key: node.name.text, text: value.getText(source), line: lineOf(source, node.getStart(source)) };
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Layer options whose regularizer decays weights LR Lab's weight decay decays too (kernels, embeddings). */
const WEIGHT_REGULARIZERS = new Set(['kernelRegularizer', 'embeddingsRegularizer', 'depthwiseRegularizer', 'pointwiseRegularizer', 'recurrentRegularizer']);

function refusedValues(checked: Checked<unknown> & { ok: false }, what: string): InsertOutcome {
  return { error: { reason: checked.reason, fix: `run the experiment again; ${what} was not inserted` } };
}

/** Calls of `factory` in the file outside its own block. */
function factoryCalls(source: ts.SourceFile, factory: string, block: TextRange | null): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === factory) {
      const at = node.getStart(source);
      if (block === null || at < block.start || at >= block.end) calls.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

/** 1-based line of an offset, for messages. */
function lineOf(source: ts.SourceFile, offset: number): number {
  return source.getLineAndCharacterOfPosition(offset).line + 1;
}

/** Declarations of `factory` (a function, variable or class of that name) outside `block`. */
function factoryDeclarations(source: ts.SourceFile, factory: string, block: TextRange | null): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node) || ts.isClassDeclaration(node)) && node.name !== undefined && ts.isIdentifier(node.name) && node.name.text === factory) {
      const at = node.getStart(source);
      if (block === null || at < block.start || at >= block.end) found.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * A block whose function the user renamed (`oneCycle`, its calls too): the name its block declares
 * at its top instead of `factory`, with the line of a use outside the block; else null. Replacing the
 * block drops that name, and its calls are left undefined (ReferenceError when the file runs).
 */
function renamedFactory(source: ts.SourceFile, factory: string, block: TextRange): { readonly name: string; readonly usedAt: number } | null {
  const declared: string[] = [];
  const inBlock = (node: ts.Node): boolean => node.getStart(source) >= block.start && node.getEnd() <= block.end;
  const collect = (node: ts.Node): void => {
    if (node.getEnd() <= block.start || node.getStart(source) >= block.end) return;
    if (inBlock(node) && (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name !== undefined) {
      declared.push(node.name.text);
      return;
    }
    if (inBlock(node) && ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations) if (ts.isIdentifier(d.name)) declared.push(d.name.text);
      return;
    }
    ts.forEachChild(node, collect);
  };
  collect(source);
  if (declared.includes(factory)) return null;
  for (const name of declared) {
    let usedAt: number | null = null;
    const find = (node: ts.Node): void => {
      if (usedAt !== null) return;
      if (ts.isIdentifier(node) && node.text === name && !inBlock(node)) usedAt = lineOf(source, node.getStart(source));
      else ts.forEachChild(node, find);
    };
    find(source);
    if (usedAt !== null) return { name, usedAt };
  }
  return null;
}

type BlockSearch = { readonly ok: true; readonly block: TextRange | null } | ({ readonly ok: false } & Refusal);

/**
 * The file's marked block of this kind: from its start marker to the end of its end marker, null
 * when it has none. Markers that do not pair up (one deleted, one duplicated, in the wrong order)
 * or a factory declared outside the markers are refused, saying what to repair: guessing where a
 * block ends could delete the user's code, and adding a second block would declare the factory twice.
 */
function findBlock(source: ts.SourceFile, block: CallbackBlock): BlockSearch {
  const starts = markerLines(source, block.start);
  const ends = markerLines(source, block.end);
  const lines = (offsets: number[]): string => offsets.map((o) => lineOf(source, o)).join(' and ');
  const found = starts.length === 1 && ends.length === 1 && starts[0]! < ends[0]! ? { start: starts[0]!, end: ends[0]! + block.end.length } : null;
  const outside = factoryDeclarations(source, block.factory, found);
  if (starts.length === 0 && ends.length === 0 && outside.length === 0) return { ok: true, block: null };
  if (found !== null && outside.length === 0) {
    const renamed = renamedFactory(source, block.factory, found);
    if (renamed === null) return { ok: true, block: found };
    const span = `lines ${lineOf(source, found.start)}–${lineOf(source, found.end)}`;
    return { ok: false, reason: `LR Lab's block of ${block.what} (${span}) declares \`${renamed.name}\`, not \`${block.factory}\`, and line ${renamed.usedAt} calls it: inserting replaces the whole block, which would leave that call undefined`, fix: `rename it back to \`${block.factory}\` in the block and where it is called, or delete the block and its calls; then insert again (${block.what} was not inserted)` };
  }
  const declaration = outside[0] ?? factoryDeclarations(source, block.factory, null)[0];
  const span = declaration === undefined ? '' : ` (lines ${lineOf(source, declaration.getStart(source))}–${lineOf(source, declaration.getEnd())})`;
  const pair = `one \`${block.start}\` line above \`function ${block.factory}\`${span} and one \`${block.end}\` line below it`;
  const refuse = (reason: string, fix: string): BlockSearch => ({ ok: false, reason, fix: `${fix}; then insert again (${block.what} was not inserted)` });
  if (found !== null) {
    const again = lineOf(source, outside[0]!.getStart(source));
    return refuse(`\`${block.factory}\` is declared again at line ${again}, outside LR Lab's block (lines ${lineOf(source, found.start)}–${lineOf(source, found.end)})`, `delete the declaration at line ${again} (LR Lab's block declares it)`);
  }
  // A marker line the user added text to is no marker: named, not "has no end marker" beside one in plain sight.
  const loose = [...looseMarkerLines(source, block.start).map((at) => ({ at, marker: block.start })), ...looseMarkerLines(source, block.end).map((at) => ({ at, marker: block.end }))];
  if (loose.length > 0) {
    const first = loose[0]!;
    const line = lineOf(source, first.at);
    return refuse(`line ${line} holds \`${first.marker}\` with other text on it: a marker of ${block.what}'s block must be alone on its line`, `make line ${line} hold \`${first.marker}\` alone (move the rest to a line of its own)`);
  }
  let reason: string;
  if (starts.length > 1) reason = `the file has ${starts.length} \`${block.start}\` markers (lines ${lines(starts)})`;
  else if (ends.length > 1) reason = `the file has ${ends.length} \`${block.end}\` markers (lines ${lines(ends)})`;
  else if (starts.length === 1 && ends.length === 0) reason = `\`${block.start}\` at line ${lines(starts)} has no \`${block.end}\` after it`;
  else if (starts.length === 0 && ends.length === 1) reason = `\`${block.end}\` at line ${lines(ends)} has no \`${block.start}\` before it`;
  else if (starts.length === 1) reason = `\`${block.end}\` (line ${lines(ends)}) comes before \`${block.start}\` (line ${lines(starts)})`;
  else return refuse(`\`function ${block.factory}\` at line ${lineOf(source, outside[0]!.getStart(source))} has lost its LR Lab markers`, `put back ${pair}, or delete the function`);
  return refuse(`${block.what}'s block markers do not pair up: ${reason}`, `keep ${pair}, or delete the block and its markers`);
}

/**
 * The file's first syntax error, as the parser reports it (it recovers, so the tree of a broken
 * file has guessed nodes: an edit placed by them could glue code into the next statement).
 */
function firstSyntaxError(source: ts.SourceFile): Refusal | null {
  const diagnostics = (source as ts.SourceFile & { readonly parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (first === undefined) return null;
  // An error at the end of the file (an unclosed call) is on its last line, not on the empty one after the final line break.
  const at = first.start >= source.text.length ? source.text.trimEnd().length : first.start;
  return { reason: `the file has a syntax error at line ${lineOf(source, at)} (${ts.flattenDiagnosticMessageText(first.messageText, ' ').replace(/\.$/, '')})`, fix: 'fix it, then insert again' };
}

/** Where a fit call runs again on the same model: the node to name (its line), and how, for the refusal. */
interface Repeated {
  readonly node: ts.Node;
  /** After "is called in a loop (line N": how the loop reaches the fit, e.g. ", through trainEpoch()"; for a recursion, "through next()" ('' where the fit's function calls itself). */
  readonly via: string;
  readonly recursion: boolean;
}

/**
 * Where a fit call trains the same model again and again: a loop around it — a `for` (its test,
 * update or body), `for…of`/`for…in` (body), `while` or `do` — in its own function, or, one call
 * away, a loop around a call of the function it is in (`for (…) await trainEpoch()`), or that
 * function calling itself (a user's one-epoch helpers restarted the cycle each call, unrefused). A
 * loop whose rounds each have a model of their own — declared in its body (`const model = build()`),
 * its variable (`for (const model of models)`), passed to the function from either, or made by the
 * function itself — trains each model once: not such a loop.
 */
function trainingLoop(fit: FitCall): Repeated | null {
  const receiver = ts.isPropertyAccessExpression(fit.node.expression) ? fit.node.expression.expression : null;
  const root = receiver === null ? null : rootName(receiver);
  for (let child: ts.Node = fit.node, parent = fit.node.parent; !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent)) {
      // A callback that an array method or setInterval calls again and again (`[…].reduce(async (p) => { await p; await model.fit(…) })`).
      const iterating = iteratingCall(parent);
      if (iterating === null) return repeatedCallsOf(parent, root, fit);
      if (root !== null && modelOfEachRound(iterating.callback, root, fit.node)) return null;
      return { node: iterating.call, via: `, ${iterating.what}`, recursion: false };
    }
    if (ts.isClassStaticBlockDeclaration(parent)) return null;
    const loop = perRoundLoop(child, parent);
    if (loop === null) continue;
    if ((root !== null && modelOfEachRound(loop, root, fit.node)) || elementOfEachRound(loop, receiver)) return null;
    return { node: loop, via: '', recursion: false };
  }
  return null;
}

/** Array methods that call their callback once per element, and the timer that calls it again and again. */
const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);

/**
 * The call that runs `node` (a function, or a reference to one) repeatedly: `node` is the callback of
 * an array method that calls it per element, or of `setInterval`; through `.bind(…)` too. Else null.
 */
function iteratingCall(node: ts.Node): { call: ts.CallExpression; callback: ts.Node; what: string } | null {
  let callback: ts.Node = node;
  while (ts.isParenthesizedExpression(callback.parent)) callback = callback.parent;
  const bound = callback.parent;
  if (ts.isPropertyAccessExpression(bound) && bound.expression === callback && bound.name.text === 'bind' && ts.isCallExpression(bound.parent)) callback = bound.parent;
  const call = callback.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== callback) return null;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) && ITERATING_METHODS.has(callee.name.text)) return { call, callback: node, what: `.${callee.name.text}(…)'s callback` };
  const timer = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
  if (timer === 'setInterval') return { call, callback: node, what: "setInterval's callback" };
  return null;
}

/** `parent` as a loop whose every round runs `child` (not a `for`'s initializer or a `for…of`/`for…in`'s list, which run once); else null. */
function perRoundLoop(child: ts.Node, parent: ts.Node): ts.IterationStatement | null {
  if (!ts.isIterationStatement(parent, false)) return null;
  if (ts.isForStatement(parent) ? child === parent.initializer : (ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && child !== parent.statement) return null;
  return parent;
}

/**
 * How a function is called in its file: by name (a declaration's, or the variable's it is assigned
 * to), or as a method (`x.name(…)`, `this.name(…)`: a class or object method, or a property holding
 * a function: `epoch = async () => …`); null otherwise (callbacks).
 */
function calledName(fn: ts.SignatureDeclaration): { name: string; method: boolean } | null {
  const text = (name: ts.PropertyName): string | null => (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) ? name.text : null);
  const as = (name: string | null | undefined, method: boolean): { name: string; method: boolean } | null => (name === null || name === undefined ? null : { name, method });
  if (ts.isFunctionDeclaration(fn)) return as(fn.name?.text, false);
  if (ts.isMethodDeclaration(fn)) return as(text(fn.name), true);
  if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) return null;
  const holder = fn.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return as(holder.name.text, false);
  if ((ts.isPropertyDeclaration(holder) || ts.isPropertyAssignment(holder)) && holder.initializer === fn) return as(text(holder.name), true);
  return null;
}

/** Whether `node` refers to the function `called` names: `name` for a plain one; `x.name`, `this.name` for a method. */
function refersTo(node: ts.Node, called: { name: string; method: boolean }): boolean {
  return called.method ? ts.isPropertyAccessExpression(node) && node.name.text === called.name : ts.isIdentifier(node) && node.text === called.name;
}

/** How deep `repeatedCallsOf` follows callers: the fit's function, its callers, theirs, … */
const CALLER_DEPTH = 6;

/** The names a function is called by: its own (`calledName`) and plain aliases of it (`const step = trainEpoch`). */
function namesOf(fn: ts.SignatureDeclaration, source: ts.SourceFile): { name: string; method: boolean }[] {
  const own = calledName(fn);
  if (own === null) return [];
  const names = [own];
  if (own.method) return names;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined) {
      let init: ts.Expression = node.initializer;
      while (ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isIdentifier(init) && names.some((n) => n.name === init.text) && !names.some((n) => n.name === (node.name as ts.Identifier).text)) names.push({ name: node.name.text, method: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** The function `node` is in (an arrow, a method, …), or null at the top level. */
function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | null {
  for (let parent = node.parent; !ts.isSourceFile(parent); parent = parent.parent) {
    if (ts.isFunctionLike(parent)) return parent;
    if (ts.isClassStaticBlockDeclaration(parent)) return null;
  }
  return null;
}

/**
 * A call of the fit's function `fn` from itself, from a loop, or from a function that is (its
 * callers followed up to CALLER_DEPTH levels, through plain aliases: `const step = trainEpoch`): a
 * loop around `outer()` that calls `inner()` that fits, or `a()` that fits and calls `b()` that calls
 * `a()` again (a user trial: each of these restarted the cycle at every call, unrefused).
 */
function repeatedCallsOf(fn: ts.SignatureDeclaration, root: string | null, fit: FitCall): Repeated | null {
  const source = fit.node.getSourceFile();
  /** The functions from the fit's own up to the one being looked at: a call from any of them comes back round. */
  interface Level {
    readonly fn: ts.SignatureDeclaration;
    readonly root: string | null;
    /** A node inside `fn` where `root` is in scope: the fit, or the call that led to the function below. */
    readonly from: ts.Node;
    readonly chain: readonly ts.SignatureDeclaration[];
  }
  const shownAs = (n: { name: string; method: boolean }): string => `${n.method ? '.' : ''}${n.name}()`;
  const seen = new Set<ts.Node>([fn]);
  let levels: Level[] = [{ fn, root, from: fit.node, chain: [fn] }];
  for (let depth = 0; depth < CALLER_DEPTH && levels.length > 0; depth++) {
    const next: Level[] = [];
    for (const level of levels) {
      const names = namesOf(level.fn, source);
      if (names.length === 0) continue;
      // A model the function makes itself (`const model = build()` in it): each call trains its own.
      const declared = level.root === null ? null : declarationOf(level.root, level.from);
      if (declared !== null && declared !== 'other' && !ts.isParameter(declared) && declared.pos >= level.fn.pos && declared.end <= level.fn.end) continue;
      const index = level.root === null ? -1 : level.fn.parameters.findIndex((p) => bindsName(p.name, level.root!));
      let found: Repeated | null = null;
      const visit = (node: ts.Node): void => {
        if (found !== null) return;
        const called = ts.isCallExpression(node) && node !== fit.node ? names.find((n) => refersTo(node.expression, n)) : undefined;
        if (called !== undefined) {
          const call = node as ts.CallExpression;
          const shown = shownAs(called);
          const back = level.chain.find((f) => call.pos >= f.pos && call.end <= f.end);
          if (back !== undefined) {
            found = { node: call, via: back === fn && level.fn === fn ? '' : `through ${shown}`, recursion: true };
            return;
          }
          const loop = loopAroundCall(call);
          // The model passed in is each round's own (cross-validation folds): each model trains once.
          const argument = index >= 0 ? call.arguments[index] : undefined;
          const passed = argument === undefined ? null : rootName(argument);
          if (loop !== null && !(passed !== null && modelOfEachRound(loop.node, passed, call))) {
            found = { node: loop.node, via: `, through ${shown}${loop.what === null ? '' : ` in ${loop.what}`}`, recursion: false };
            return;
          }
          const caller = loop === null ? enclosingFunction(call) : null;
          if (caller !== null && !seen.has(caller)) {
            seen.add(caller);
            next.push({ fn: caller, root: index >= 0 ? passed : level.root, from: call, chain: [...level.chain, caller] });
          }
        } else {
          const handed = names.find((n) => refersTo(node, n));
          // The function handed over as a callback: `setInterval(epoch, 1000)`, `[1, 2].forEach(trainer.epoch.bind(trainer))`.
          const iterating = handed !== undefined && !(ts.isCallExpression(node.parent) && node.parent.expression === node) ? iteratingCall(node) : null;
          if (handed !== undefined && iterating !== null) found = { node: iterating.call, via: `, ${shownAs(handed)} as ${iterating.what}`, recursion: false };
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      if (found !== null) return found;
    }
    levels = next;
  }
  return null;
}

/** The loop around a call, in the call's own function, whose every round makes the call (or the array method or setInterval calling the callback it is in); else null. */
function loopAroundCall(call: ts.CallExpression): { node: ts.Node; what: string | null } | null {
  for (let child: ts.Node = call, parent = call.parent; !ts.isSourceFile(parent); child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent)) {
      const iterating = iteratingCall(parent);
      return iterating === null ? null : { node: iterating.call, what: iterating.what };
    }
    if (ts.isClassStaticBlockDeclaration(parent)) return null;
    const loop = perRoundLoop(child, parent);
    if (loop !== null) return { node: loop, what: null };
  }
  return null;
}

/** The variable a receiver starts from: `model` of `model`, `state.model`, `models[i]`; null for `this.…`. */
function rootName(e: ts.Expression): string | null {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return rootName(e.expression);
  return null;
}

/**
 * Whether each round gives `name` a new value: the loop's variable or a declaration in its body, or a
 * repeated callback's parameter or a declaration in it (`models.forEach((m) => m.fit(…))`).
 */
function modelOfEachRound(loop: ts.Node, name: string, from: ts.Node): boolean {
  const initializer = ts.isForOfStatement(loop) || ts.isForInStatement(loop) ? loop.initializer : null;
  if (initializer !== null && ts.isVariableDeclarationList(initializer) && initializer.declarations.some((d) => bindsName(d.name, name))) return true;
  const body: ts.Node = ts.isIterationStatement(loop, false) ? loop.statement : ts.isCallExpression(loop) ? (loop.arguments[0] ?? loop) : loop;
  if (ts.isFunctionLike(body) && body.parameters.some((p) => bindsName(p.name, name))) return true;
  const declaration = declarationOf(name, from);
  if (declaration !== null && declaration !== 'other' && declaration.pos >= body.pos && declaration.end <= body.end) return true;
  // `model = tf.sequential()` as a statement of the body, before the fit: every round assigns a new one (`let model; for (…) { model = …; await model.fit(…) }`).
  const statements = ts.isBlock(body) ? body.statements : (ts.isArrowFunction(body) || ts.isFunctionExpression(body)) && ts.isBlock(body.body) ? body.body.statements : [];
  return statements.some((st) => st.end <= from.pos && ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(st.expression.left) && st.expression.left.text === name);
}

/** Whether the receiver is `models[i]` with `i` the loop's own variable (`for (let i = 0; …; i++)`, `for (const i in models)`): another model each round. */
function elementOfEachRound(loop: ts.IterationStatement, receiver: ts.Expression | null): boolean {
  let e = receiver;
  while (e !== null && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e))) e = e.expression;
  if (e === null || !ts.isElementAccessExpression(e) || !ts.isIdentifier(e.argumentExpression)) return false;
  const index = e.argumentExpression.text;
  const initializer = ts.isForStatement(loop) || ts.isForOfStatement(loop) || ts.isForInStatement(loop) ? loop.initializer : undefined;
  return initializer !== undefined && ts.isVariableDeclarationList(initializer) && initializer.declarations.some((d) => bindsName(d.name, index));
}

/** The model argument of a fit call's factory call: its receiver, as `modelArgument` writes it. */
function modelOf(fit: FitCall): string | null {
  return ts.isPropertyAccessExpression(fit.node.expression) ? modelArgument(fit.node.expression.expression) : null;
}

/** Whether `node` lies in the arguments of `fit`. */
function inArguments(node: ts.Node, fit: FitCall): boolean {
  return node.pos >= fit.node.arguments.pos && node.end <= fit.node.arguments.end;
}

/**
 * The statement list (file, block, function body, case) a marked block sits in, where it declares
 * its factory: a call outside it cannot see the factory (a function declaration is block-scoped).
 */
function blockScope(source: ts.SourceFile, block: TextRange): ts.Node {
  let scope: ts.Node = source;
  const visit = (node: ts.Node): void => {
    if (node.getStart(source) >= block.start || node.getEnd() < block.end) return;
    if (ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) scope = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return scope;
}

/**
 * The start of the line of the file's top-level statement that holds `range` (above its leading
 * comments, so a JSDoc stays with its function), and that line's indentation; null when the range is
 * not inside a top-level statement's function or block, or that statement shares its line with other code.
 */
function topLevelPlace(source: ts.SourceFile, range: TextRange): { offset: number; indent: string } | null {
  const top = source.statements.find((statement) => statement.getStart(source) <= range.start && range.end <= statement.getEnd());
  if (top === undefined) return null;
  const text = source.text;
  const anchor = (ts.getLeadingCommentRanges(text, top.pos) ?? [])[0]?.pos ?? top.getStart(source);
  const lineStart = text.lastIndexOf('\n', anchor - 1) + 1;
  const indent = text.slice(lineStart, anchor);
  return /^[ \t]*$/.test(indent) ? { offset: lineStart, indent } : null;
}

function insertCallbackBlock(result: ScanResult, fileName: string, text: string, block: CallbackBlock, fitIndex: number): InsertOutcome {
  const broken = firstSyntaxError(result.source);
  if (broken !== null) return { error: { reason: broken.reason, fix: `${broken.fix} (${block.what} was not inserted)` } };
  if (result.fitCalls.length === 0) return { error: { reason: 'no model.fit(…) or model.fitDataset(…) call in this file', fix: `call fit on the model here to attach ${block.what} to it` } };
  const fit = result.fitCalls[fitIndex];
  if (fit === undefined) return { error: { reason: 'the fit call the lens was shown for is gone', fix: `use the lens again (${block.what} was not inserted)` } };
  const loop = block.inLoop === undefined ? null : trainingLoop(fit);
  if (loop !== null && block.inLoop !== undefined) {
    const line = lineOf(result.source, loop.node.getStart(result.source));
    const where = loop.recursion ? (loop.via === '' ? `called again by its own function (line ${line})` : `called again ${loop.via} (line ${line})`) : `called in a loop (line ${line}${loop.via})`;
    return { error: { reason: `${fit.method} is ${where}: each call would restart the 1cycle schedule`, fix: `${block.inLoop(fit.method)} (${block.what} was not inserted)` } };
  }
  const unsized = block.countsSteps === true && fit.method === 'fitDataset' ? unsizedDataset(fit.node, result.source) : null;
  if (unsized !== null) {
    return { error: { reason: `fitDataset (line ${fit.line + 1}) gives no batchesPerEpoch, and its dataset from ${unsized.made} (line ${unsized.line}) has no size tfjs knows: the 1cycle schedule cannot count its steps`, fix: `add \`batchesPerEpoch: <batches in one epoch>\` to fitDataset's options, then insert again (${block.what} was not inserted)` } };
  }
  // Found with an optimizer of another family than the one this model compiles (the user changed the
  // compile after the run, or ran with lrlab.optimizer): the LR is in the wrong decade here. A user's
  // run on SGD inserted max LR 0.3 into a file now compiling Adam, its title saying "LR only: sgd's momentum is 0".
  const ran = familyOf(block.ranWith);
  const compiled = ran === null ? null : compileOf(result, fit);
  if (ran !== null && compiled !== null && compiled.optimizer !== null && compiled.optimizer !== ran) {
    const where = compiled.receiver === fit.receiver ? `line ${compiled.line + 1}` : `\`${compiled.receiver}.compile\`, line ${compiled.line + 1}`;
    return { error: { reason: `the range test ran with ${String(block.ranWith)}, but \`${fit.receiver}\` compiles ${compiled.optimizer} (${where}): an LR found with one optimizer is in the wrong decade for the other`, fix: `run Find learning rate again on this file (it tests the optimizer the file compiles), or compile with ${String(block.ranWith)} (${block.what} was not inserted)` } };
  }
  // An optimizer the file does not show (`cfg.optimizer`, `makeOpt()`): the check above cannot run, and the
  // LR went in silently where the file compiled Adam behind a variable and the run was SGD's.
  const unseen = ran !== null && compiled !== null && compiled.optimizer === null && compiled.opaque !== null ? { text: compiled.opaque, line: compiled.line + 1 } : null;
  // No compile call linked to this fit's model (an ensemble's models from a .map, a .then callback's
  // parameter, this.model compiled as model), where the file compiles another family: said, not silent.
  const unlinked = ran !== null && compiled === null ? (result.compileCalls.find((c) => c.optimizer !== null && c.optimizer !== ran) ?? null) : null;
  const untraced = block.countsSteps === true && fit.method === 'fitDataset' ? untracedDataset(fit.node, result.source) : null;
  // Another schedule in the fit's callbacks: both would set the LR each batch (the inserted one, last, wins).
  const other = block.countsSteps === true ? otherLrSchedules(fit.node, fit.method, result.source, block.factory) : null;
  const model = modelOf(fit);
  if (model === null) return { error: { reason: `the model \`${fit.receiver}\` is not a variable LR Lab can pass on`, fix: `keep the model in a variable (const model = …) and call model.${fit.method}` } };
  const call = `${block.factory}(${model})`;
  const typescript = /\.(m|c)?tsx?$/i.test(fileName);
  const unit = indentUnit(result.source);
  // A file written without semicolons (standard style) gets its blocks without them too; no line of a block starts with
  // `(`, `[` or a template, so none relies on the semicolon before it.
  const render = (indent: string): string => {
    const text = reindent(block.render({ typescript, indent, quote: result.quote }), indent, unit);
    return result.semicolons ? text : text.replace(/;$/gm, '');
  };
  const changes: TextChange[] = [];

  const found = findBlock(result.source, block);
  if (!found.ok) return { error: { reason: found.reason, fix: found.fix } };
  const existing = found.block;
  const calls = factoryCalls(result.source, block.factory, existing);
  // One block per file: other fits already calling its factory train with the new values too (a user's
  // warm-up fit at 0.01 moved to the main fit's 0.5 when the main fit's lens was clicked, nothing said).
  const sharedWith = existing === null ? null : sharingFits(result, fit, calls);
  const caution: Refusal | null =
    sharedWith !== null
      ? { reason: `${sharedWith} calls the file's one block of ${block.what} too, and will train with these values as well`, fix: `to keep its values, give that fit its own schedule with lrlab's library (oneCycle), or Undo` }
      : other !== null
      ? { reason: `${fit.method} (line ${fit.line + 1}) already has ${other} in its callbacks: both set the LR before every batch, and ${block.what}, last in the array, overrides it`, fix: `remove the other schedule from the callbacks to train with ${block.what} alone (Undo removes ${block.what})` }
      : untraced !== null
      ? { reason: `fitDataset (line ${fit.line + 1}) gives no batchesPerEpoch, and LR Lab cannot follow its dataset past ${untraced} to see whether tfjs knows its size`, fix: `if it comes from tf.data.generator, csv or func, a filter, or a repeat() without a count, the schedule stops the fit at its start: add \`batchesPerEpoch: <batches in one epoch>\` to fitDataset's options` }
      : unlinked !== null
      ? { reason: `the range test ran with ${String(block.ranWith)}, and LR Lab cannot tell which compile call compiles the model this ${fit.method} (line ${fit.line + 1}) trains, while \`${unlinked.receiver}.compile\` (line ${unlinked.line + 1}) compiles ${unlinked.optimizer}: an LR found with one optimizer is in the wrong decade for another`, fix: `check that \`${fit.receiver}\` compiles ${String(block.ranWith)}; if not, Undo and run Find learning rate again with the optimizer it compiles` }
      : unseen === null
      ? null
      : { reason: `the range test ran with ${String(block.ranWith)}, and LR Lab cannot tell which optimizer \`${shortText(unseen.text)}\` (line ${unseen.line}) compiles: an LR found with one optimizer is in the wrong decade for another`, fix: `check that \`${fit.receiver}\` compiles ${String(block.ranWith)}; if not, Undo and run Find learning rate again with the optimizer it compiles` };
  // Attached to this fit already, or somewhere LR Lab does not trace to a fit (a callbacks variable): not again.
  const attached = calls.some((c) => inArguments(c, fit) || !result.fitCalls.some((f) => inArguments(c, f)));
  let notice: Refusal | null = null;
  /** The block moves to the top level of the file: where it is, this fit cannot see it. */
  let hoisted: { offset: number; indent: string } | null = null;
  if (!attached) {
    if (existing !== null) {
      const scope = blockScope(result.source, existing);
      if (fit.node.pos < scope.pos || fit.node.end > scope.end) {
        // Inside another function or block (where LR Lab put it for that function's fit): it uses nothing
        // around it, so it moves above that function's top-level statement, where every fit sees it
        // (`pretrain`'s fit was refused once the block sat in `finetune`).
        hoisted = topLevelPlace(result.source, existing);
        if (hoisted === null) {
          const blockLine = lineOf(result.source, existing.start);
          return { error: { reason: `${block.what}'s block (line ${blockLine}) is not visible from this ${fit.method} call (line ${fit.line + 1}): \`${block.factory}\` is declared inside another block or function`, fix: `move the block, with its marker lines, to the top level of the file (it uses nothing around it), then insert again (${block.what} was not inserted)` } };
        }
      }
    }
    const typeName = result.callbackArgsType;
    const syntax = typedSyntax({ typescript, indent: '', quote: result.quote });
    const plan = attachPlan(result.source, fit.node, fit.method, call, typeName === null ? null : (it) => syntax.cast(it, typeName));
    if (!plan.ok && !plan.byHand) return { error: { reason: plan.reason, fix: `${plan.fix} (${block.what} was not inserted)` } };
    if (plan.ok) changes.push(...plan.changes);
    // The block in place from an insertion before (its call still to be added by hand): its values are
    // updated, as the first insertion put them in (they were refused until the user added the call).
    else notice = { reason: plan.reason, fix: `${plan.fix}: ${block.what}'s block, which defines \`${block.factory}\`, is ${existing === null ? 'inserted above the ' + fit.method + ' call' : 'updated with these values'}` };
  }
  // A call from before the factory took the model gets its fit's model.
  for (const c of calls) {
    if (c.arguments.length > 0) continue;
    const own = result.fitCalls.find((f) => inArguments(c, f));
    changes.push({ start: c.arguments.pos, end: c.arguments.end, text: (own === undefined ? null : modelOf(own)) ?? model });
  }

  if (existing !== null) {
    const lineStart = text.lastIndexOf('\n', existing.start - 1) + 1;
    if (hoisted !== null) {
      // Out of its function (its lines and the line break after them), and in at the top level.
      const end = text.startsWith('\r\n', existing.end) ? existing.end + 2 : text.startsWith('\n', existing.end) ? existing.end + 1 : existing.end;
      changes.push({ start: lineStart, end, text: '' });
      changes.push({ start: hoisted.offset, end: hoisted.offset, text: `${render(hoisted.indent)}\n` });
    } else {
      // Replace from the start of the marker's line, keeping the indentation the block has now.
      const indent = /^[ \t]*/.exec(text.slice(lineStart, existing.start))?.[0] ?? '';
      changes.push({ start: lineStart, end: existing.end, text: render(indent) });
    }
  } else if (fit.sharesLine) {
    // The code before it keeps its line, without the spaces that separated the two (no trailing whitespace).
    let start = fit.statementStartOffset;
    while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    changes.push({ start, end: fit.statementStartOffset, text: `\n${render(fit.indent)}\n${fit.indent}` });
  } else {
    changes.push({ start: fit.statementStartOffset, end: fit.statementStartOffset, text: `${render(fit.indent)}\n` });
  }
  // Built with \n; written with the file's own line ending, so a CRLF file stays CRLF throughout.
  const eol = lineEnding(text);
  const sorted = changes.sort((a, b) => b.start - a.start).map((c) => ({ ...c, text: c.text.replace(/\r?\n/g, eol) }));
  return { changes: sorted, ...(notice === null ? {} : { notice }), ...(caution === null ? {} : { caution }) };
}

/** The other fits whose callbacks already call the block's factory (`calls`, outside the file's block), in words ("the fit at line 12"); else null. */
function sharingFits(result: ScanResult, fit: ScanResult['fitCalls'][number], calls: readonly ts.CallExpression[]): string | null {
  const others = result.fitCalls.filter((f) => f !== fit && calls.some((c) => inArguments(c, f)));
  if (others.length === 0) return null;
  const lines = others.map((f) => f.line + 1);
  return `the ${others[0]!.method === 'fitDataset' && others.length === 1 ? 'fitDataset' : 'fit'} ${lines.length === 1 ? `at line ${lines[0]}` : `calls at lines ${lines.join(', ')}`}`;
}

type CompileCall = ScanResult['compileCalls'][number];

/** The last of `calls` above `line`, else the first below it. */
function nearestAbove(calls: readonly CompileCall[], line: number): CompileCall | null {
  return calls.filter((c) => c.line <= line).at(-1) ?? calls[0] ?? null;
}

/**
 * The compile call of a local builder's returned model: `const model = buildModel()` (or `await
 * build(8)`), where `buildModel` is a function of this file (the scanner's `localBuilders`) that
 * compiles a variable and returns it.
 */
function builderCompile(result: ScanResult, declaration: ts.VariableDeclaration | ts.ParameterDeclaration): CompileCall | null {
  const name = initializingCall(declaration);
  const fn = name === null ? undefined : result.localBuilders.get(name);
  if (fn?.body === undefined || !ts.isBlock(fn.body)) return null;
  // What it returns (not what a function inside it returns), and the compile calls on those variables inside it.
  const returned = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression !== undefined && ts.isIdentifier(unwrap(node.expression))) {
      const id = unwrap(node.expression) as ts.Identifier;
      const d = declarationOf(id.text, id);
      if (d !== null && d !== 'other') returned.add(d);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  const inside = result.compileCalls.filter((c) => {
    const on = receiverDeclaration(c.node);
    return c.node.pos >= fn.pos && c.node.end <= fn.end && on !== null && returned.has(on);
  });
  return inside.at(-1) ?? null;
}

/**
 * The compile call of a fit's model, or null where LR Lab cannot link one to it. A fit on a variable
 * takes the compile calls on that same variable (its declaration, not its name: two functions' own
 * `model`s are two models), else the one inside the local function that built it (`const model =
 * createModel()`); a user's Adam model's fit was checked against a baseline's `model.compile('sgd')`
 * further down, refusing an Adam run and taking an SGD one. Other receivers (`this.model`) match by
 * their text.
 */
export function compileOf(result: ScanResult, fit: ScanResult['fitCalls'][number]): CompileCall | null {
  const declaration = receiverDeclaration(fit.node);
  if (declaration === null) return nearestAbove(result.compileCalls.filter((c) => c.receiver === fit.receiver), fit.line);
  const same = result.compileCalls.filter((c) => receiverDeclaration(c.node) === declaration);
  return same.length > 0 ? nearestAbove(same, fit.line) : builderCompile(result, declaration);
}

/**
 * The line ending the file uses: CRLF when more of its lines end with it than with a bare LF (a
 * file with mixed endings gets its dominant one, as VS Code picks on load), else LF. Every change's
 * text is built with LF and converted to it: an inserted block with bare LFs in a CRLF file leaves
 * it with mixed endings, which editors, linters and Git's `core.autocrlf` each treat differently.
 */
function lineEnding(text: string): '\r\n' | '\n' {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * The file's indentation step: a tab when more lines start with one than with spaces, else the
 * smallest space indentation of a code line that is not a continuation (`? a`, `.then(…)`, a leading comma: a 4-space file's
 * two-space ternary got blocks in 2-space steps). Comment lines (`//`, `/*`, JSDoc's ` * `, a block
 * comment's) and lines inside a template literal or string (a banner's text) do not count.
 */
function indentUnit(source: ts.SourceFile): string {
  // Text that is not code: literals, and block comments before a node (a comment's other lines need not start with `*`).
  const literals: TextRange[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) literals.push({ start: node.getStart(source), end: node.getEnd() });
    for (const c of ts.getLeadingCommentRanges(source.text, node.pos) ?? []) if (c.kind === ts.SyntaxKind.MultiLineCommentTrivia) literals.push({ start: c.pos, end: c.end });
    ts.forEachChild(node, visit);
  };
  visit(source);
  let tabs = 0;
  let spaced = 0;
  let smallest = Infinity;
  let offset = 0;
  for (const line of source.text.split('\n')) {
    const at = offset;
    offset += line.length + 1;
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    const rest = line.slice(lead.length);
    if (lead === '' || rest.trim() === '' || /^(?:\/\/|\/\*|\*)/.test(rest) || literals.some((l) => l.start < at && at < l.end)) continue;
    // A continuation line (`? a`, `: b`, `.then(…)`, `&& c`, a leading comma) is aligned, not indented by a step (a user trial).
    if (/^(?:[?:.,=+]|&&|\|\||-(?!-))/.test(rest)) continue;
    if (lead.startsWith('\t')) tabs++;
    else {
      spaced++;
      smallest = Math.min(smallest, lead.length);
    }
  }
  if (tabs > spaced) return '\t';
  return spaced === 0 ? '  ' : ' '.repeat(smallest);
}

/** The generators indent by two spaces below the base `indent`; this turns each step into the file's `unit`. */
function reindent(block: string, indent: string, unit: string): string {
  if (unit === '  ') return block;
  return block
    .split('\n')
    .map((line) => {
      if (!line.startsWith(indent)) return line;
      const body = line.slice(indent.length);
      const steps = /^(?: {2})*/.exec(body)?.[0].length ?? 0;
      return `${indent}${unit.repeat(steps / 2)}${body.slice(steps)}`;
    })
    .join('\n');
}

/** Applies changes (sorted from the end) to the text: what the editor will show. */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.start - a.start)) out = out.slice(0, c.start) + c.text + out.slice(c.end);
  return out;
}

/** A code excerpt for a message: one line, at most 40 characters. */
function shortText(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= 40 ? line : `${line.slice(0, 39)}…`;
}
