/**
 * Whether a JS/TS text is an LR Lab model file: it exports both `createModel` and `loadData`
 * (ESM `export function/const`, `export { … }`, CommonJS `exports.x =` / `module.exports.x =`).
 * One module for the extension (picking a file for a command, at no parsing cost) and the
 * language server (deciding between "Find learning rate" and "Set up for LR Lab"); the server's
 * parser then finds the exact positions.
 */
const EXPORT = (name: string): RegExp =>
  new RegExp(`export\\s+(?:async\\s+)?(?:function\\*?|const|let|var)\\s+${name}\\b|(?:module\\.)?exports\\.${name}\\s*=|export\\s*\\{[^}]*\\b${name}\\b|module\\.exports\\s*=\\s*\\{[^}]*\\b${name}\\b`);

export function looksLikeModelFile(text: string): boolean {
  return EXPORT('createModel').test(text) && EXPORT('loadData').test(text);
}

const FIT_CALL = /\.\s*fit(?:Dataset)?\s*\(/;

/**
 * Whether a JS/TS text is a training script LR Lab runs up to its first `fit` call: it is not a model
 * file (both exports) and calls `.fit(`/`.fitDataset(` somewhere — as the language server's lenses
 * read it. A module that exports `createModel` for reuse and trains with it itself is a script (it
 * was held to the contract, "does not export loadData", while its lens offered the script's run); a
 * file that exports one of the two and calls no fit is meant for the contract, and told what is missing.
 */
export function looksLikeTrainingScript(text: string): boolean {
  // A fit call in code, not in a comment ("// LR Lab calls model.fit(xs, ys) for you" in a half-done model file).
  return !looksLikeModelFile(text) && fitCallLines(text).length > 0;
}

const ANY_EXPORT = /(?:^|[^\w.$])(?:export\s|exports\s*[.=[]|module\.exports\b)/;

/**
 * Whether the engine runs a JS/TS file as a training script: a visible fit call as above, or a
 * program without any export (its fit call may sit in a module or package it imports); a module
 * that exports something else is held to the contract and told what is missing.
 */
export function runsAsTrainingScript(text: string): boolean {
  return looksLikeTrainingScript(text) || (!ANY_EXPORT.test(text) && !EXPORT('createModel').test(text) && !EXPORT('loadData').test(text));
}

/**
 * The lines (1-based) that call `.fit(`/`.fitDataset(`, outside comments: where a training script
 * may train besides the call LR Lab took. Text-level like the rules above (a call inside a string
 * counts too); the line is the one of the `fit` name, as a stack frame of the call names it.
 */
export function fitCallLines(text: string): number[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const lines: number[] = [];
  code.split('\n').forEach((line, i) => {
    // A line comment starts a line or follows a space or punctuation (not `file://`).
    if (FIT_CALL.test(line.replace(/(^|[\s;,{}()])\/\/.*$/, '$1'))) lines.push(i + 1);
  });
  return lines;
}

/**
 * `fitCallLines` less the lines whose every `fit`/`fitDataset` call closes on the line with fewer than
 * two arguments: a tfjs model's `fit(x, y, …)` and `fitDataset(dataset, args)` take two or more (with
 * one, tfjs throws), so `scaler.fit(raw)`, a preprocessing step's, is not one (a user trial was told
 * "calls fit at line 9 too" and given `--fit-line 9`, which then ran the whole script and failed).
 */
export function modelFitCallLines(text: string): number[] {
  const code = codeOnly(text);
  const lines = sourceLines(code);
  return fitCallLines(text).filter((line) => {
    const at = lines[line - 1] ?? '';
    const calls = [...at.matchAll(/\.\s*fit(?:Dataset)?\s*\(/g)];
    return calls.length === 0 || calls.some((m) => {
      const open = m.index + m[0].length - 1;
      const close = closingBracket(at, open);
      return close < 0 || topLevelArguments(at.slice(open + 1, close)) >= 2;
    });
  });
}

/** How many arguments a call's argument text (code only, between its brackets) holds at its top level. */
function topLevelArguments(args: string): number {
  if (args.trim() === '') return 0;
  // A spread (`fit(...args)`) may pass any number.
  if (/(^|,)\s*\.\.\./.test(args)) return Number.POSITIVE_INFINITY;
  let depth = 0;
  let count = 1;
  for (const ch of args) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) count++;
  }
  // A trailing comma (`fit(x,)`) adds none.
  return /,\s*$/.test(args) ? count - 1 : count;
}

/** The lines of `text` as V8 counts a stack frame's lines (and TypeScript its line map): \r\n, \n, a lone \r, U+2028 and U+2029 end one. */
export function sourceLines(text: string): string[] {
  return text.split(/\r\n|[\n\r\u2028\u2029]/);
}

/**
 * Line `line` (1-based, counted as `sourceLines` counts) of `text`, trimmed; `null` past the end. What
 * a training script's run keeps of its fit call (`fitCall.text`) and the editor compares against the
 * file as it is now.
 */
export function sourceLine(text: string, line: number): string | null {
  if (!Number.isInteger(line) || line < 1) return null;
  return sourceLines(text)[line - 1]?.trim() ?? null;
}

/** What ends in `(` without being a call: a keyword's `if (`, a function declaration's `function f(`. */
const NOT_A_CALL = /(?:\b(?:if|for|while|switch|catch|return|typeof|await|new|function|do|else|in|of|case|void|delete|yield)|\bfunction\s*\*?\s*[\w$]+)\s*\($/;

/**
 * Whether line `line` (1-based) of `text` holds a call — a name, `)` or `]` followed by `(` — outside
 * comments and string literals: `--fit-line` names a fit call or a call on the way to one, and a
 * line without any (`const n = 1200;`) can be neither. A user's typo there ran the whole script,
 * both its fits and the writes after them, before saying no fit call was at that line. Text-level:
 * a keyword's `if (` and a function declaration's `function f(` are no calls; a class method's
 * definition reads as one (the check only refuses lines that cannot be a call).
 */
export function lineHoldsCall(text: string, line: number): boolean {
  const at = sourceLines(codeOnly(text))[line - 1];
  if (at === undefined) return false;
  for (const m of at.matchAll(/[\w$\])\]]\s*\(/g)) {
    if (!NOT_A_CALL.test(at.slice(0, (m.index ?? 0) + m[0].length))) return true;
  }
  return false;
}

/**
 * `text` with comments and the insides of string and template literals blanked (line ends kept), in
 * one pass from the left: a string's `/*` opens no comment, a comment's quote opens no string. A
 * template literal's `${…}` is blanked with it (text-level; its calls do not count). `keepStrings`:
 * only the comments are blanked (import specifiers stay readable).
 */
function codeOnly(text: string, keepStrings = false): string {
  const LINE_END = /[\n\r\u2028\u2029]/;
  const blank = (ch: string): string => (LINE_END.test(ch) ? ch : ' ');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '/' && next === '/') {
      while (i < text.length && !LINE_END.test(text[i]!)) {
        out += ' ';
        i++;
      }
    } else if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (; i < stop; i++) out += blank(text[i]!);
    } else if (ch === "'" || ch === '"' || ch === '`') {
      // A quote's string ends at the same quote (or, but for a template, at the line's end).
      out += ch;
      i++;
      while (i < text.length && text[i] !== ch && (ch === '`' || !/[\n\r]/.test(text[i]!))) {
        const escaped = text[i] === '\\' && i + 1 < text.length;
        out += keepStrings ? text.slice(i, escaped ? i + 2 : i + 1) : escaped ? `${blank(text[i]!)}${blank(text[i + 1]!)}` : blank(text[i]!);
        i += escaped ? 2 : 1;
      }
      if (i < text.length && text[i] === ch) {
        out += ch;
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Names a script binds from one module it imports or requires (`import x`, `{ a as b }`, `* as ns`, `const { c } = require(…)`). */
export interface ScriptImport {
  readonly from: string;
  readonly names: readonly string[];
}

/** What a script's text defines and imports: the names through which a line of it could reach a fit call. */
export interface ScriptNames {
  /** Functions, classes, methods and bindings assigned a function (or anything in parentheses) that the text defines. */
  readonly defined: readonly string[];
  readonly imports: readonly ScriptImport[];
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'typeof', 'await', 'new', 'function', 'do', 'else', 'in', 'of', 'case', 'void', 'delete', 'yield', 'constructor', 'super', 'import', 'require']);

function bound(list: string): string[] {
  // `a`, `b as c` (import) and `d: e` (destructuring): the local name is the last one.
  return list.split(',').map((part) => part.trim().split(/\s+as\s+|\s*:\s*/).at(-1)!.trim()).filter((name) => /^[\w$]+$/.test(name));
}

/**
 * The names of `text` (a script or a module it imports) that a call could reach `fit` through,
 * text-level and generous: a declared `function f`, `class C`, a method `m(…) {`, `x = (…` or
 * `x = async`/`function` bindings, `key: function`/`key: (…) =>` properties; and each module it
 * imports or requires, with the names bound from it.
 */
export function scriptNames(text: string): ScriptNames {
  const code = codeOnly(text);
  const defined = new Set<string>();
  const add = (name: string | undefined): void => {
    if (name !== undefined && !KEYWORDS.has(name)) defined.add(name);
  };
  for (const m of code.matchAll(/\b(?:function\s*\*?|class)\s+([\w$]+)/g)) add(m[1]);
  // Methods: `name(…) {`, `async name(…): T {`, `get name() {` (a call is never followed by `{`).
  for (const m of code.matchAll(/([\w$]+)\s*(?:<[^<>()]*>)?\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?::[^{};=]*)?\{/g)) add(m[1]);
  // Bindings and properties holding a function: `f = (`, `f = async`, `f = function`, `f = x =>`, `f: (…) =>`.
  for (const m of code.matchAll(/([\w$]+)\s*(?::\s*[^=;,(){}]*)?=\s*(?:async\b|function\b|\(|[\w$]+\s*=>)/g)) add(m[1]);
  for (const m of code.matchAll(/([\w$]+)\s*:\s*(?:async\b|function\b|\([^()]*\)\s*=>|[\w$]+\s*=>)/g)) add(m[1]);
  const imports: ScriptImport[] = [];
  const source = codeOnly(text, true);
  for (const m of source.matchAll(/\bimport\s+(?:type\s+)?([\s\S]*?)\s*\bfrom\s*(['"])([^'"]+)\2/g)) {
    const clause = m[1]!;
    const names = [...(/^([\w$]+)/.exec(clause)?.slice(1) ?? []), ...(/\*\s*as\s+([\w$]+)/.exec(clause)?.slice(1) ?? []), ...bound(/\{([^}]*)\}/.exec(clause)?.[1] ?? '')];
    imports.push({ from: m[3]!, names });
  }
  for (const m of source.matchAll(/\bimport\s*(['"])([^'"]+)\1/g)) imports.push({ from: m[2]!, names: [] });
  for (const m of source.matchAll(/(?:\b(?:const|let|var)\s+(?:([\w$]+)|\{([^}]*)\})\s*=\s*)?(?:\bawait\s+)?\b(?:require|import)\s*\(\s*(['"])([^'"]+)\3\s*\)/g)) {
    imports.push({ from: m[4]!, names: m[1] !== undefined ? [m[1]] : bound(m[2] ?? '') });
  }
  return { defined: [...defined], imports };
}

/**
 * Whether line `line` (1-based) of `text` could lead to a fit call, given `userNames` (the names of
 * the script's own functions, classes, methods and imports from its own modules: `scriptNames`): it
 * holds a call and names `fit`/`fitDataset`, or one of those names (unless `text` shows that it
 * surely reaches no fit: `surelyFitFree`), or calls a plain name other than the language's own. A line
 * whose calls are all of other things (`const ys = xs.sum(1, true)`: a tensor's method) can reach no
 * fit, and `--fit-line` there ran the whole script, training and saving, before saying no fit call was
 * at that line; so did a line calling only a plain function of the script that builds the model
 * (`const m = build();`, a user trial).
 */
export function lineMayReachFit(text: string, line: number, userNames: ReadonlySet<string>): boolean {
  return fitReachOfLine(text, line, userNames).reach;
}

/**
 * `lineMayReachFit`, and the script's own functions on the line that surely reach no fit (to name them
 * when a `--fit-line` is refused).
 */
export function fitReachOfLine(text: string, line: number, userNames: ReadonlySet<string>): { readonly reach: boolean; readonly ownNoFit: readonly string[] } {
  if (!lineHoldsCall(text, line)) return { reach: false, ownNoFit: [] };
  const code = codeOnly(text);
  const at = sourceLines(code)[line - 1] ?? '';
  const { imports } = scriptNames(text);
  const scope: FitFreeScope = {
    code,
    imported: new Set(imports.flatMap((i) => i.names)),
    tfjs: new Set(imports.filter((i) => i.from.startsWith('@tensorflow/')).flatMap((i) => i.names)),
    userNames,
    free: new Map(),
  };
  const ownNoFit: string[] = [];
  for (const [name] of at.matchAll(/[\w$]+/g)) {
    if (name === 'fit' || name === 'fitDataset') return { reach: true, ownNoFit: [] };
    if (!userNames.has(name) || ownNoFit.includes(name)) continue;
    if (!surelyFitFree(name, scope)) return { reach: true, ownNoFit: [] };
    ownNoFit.push(name);
  }
  // A call of a plain name other than the language's own (a parameter `fn()`, `train = trainers[k]; train(m)`,
  // `require('./train')`), or of a call's or an element's result (an IIFE's `})()`), may reach a fit too:
  // only lines whose calls are all methods of other things (`xs.sum(1)`, `console.log(…)`), or of the
  // script's own functions that surely reach none, are refused.
  for (const m of at.matchAll(/(^|[^\w$.\s]\s*|[^\w$.]|\s)([\w$]+)\s*\(|[)\]]\s*\(/g)) {
    const name = m[2];
    if (name === undefined) return { reach: true, ownNoFit: [] };
    if (userNames.has(name)) continue; // surely fit-free, above
    const before = at.slice(0, m.index + m[1]!.length).trimEnd();
    if (!before.endsWith('.') && !NOT_A_CALL.test(`${before} ${name}(`) && !BUILT_IN_CALLS.has(name)) return { reach: true, ownNoFit: [] };
  }
  return { reach: false, ownNoFit };
}

interface FitFreeScope {
  /** The whole script, code only (`codeOnly`). */
  readonly code: string;
  /** Names bound by the script's imports (of any module). */
  readonly imported: ReadonlySet<string>;
  /** Names bound to a `@tensorflow/*` module: their functions call no user code on their own. */
  readonly tfjs: ReadonlySet<string>;
  readonly userNames: ReadonlySet<string>;
  /** Names decided so far (true while one is being looked into: a recursion reaches no fit through itself). */
  readonly free: Map<string, boolean>;
}

/** Globals whose functions call no user code but callbacks written out where they are called. */
const SAFE_ROOTS = new Set(['Math', 'console', 'JSON', 'Object', 'Array', 'Number', 'String', 'Date', 'Promise']);
/** Methods of models, tensors and arrays that call no user code but callbacks written out where they are called. */
const SAFE_METHODS = new Set([
  'add', 'compile', 'summary', 'dispose', 'print', 'dataSync', 'arraySync', 'data', 'array', 'reshape', 'sum', 'mean', 'mul', 'sub', 'div', 'push', 'pop', 'shift', 'unshift', 'slice', 'splice', 'concat', 'join', 'toFixed', 'toString', 'map', 'filter', 'forEach', 'reduce', 'some', 'every', 'fill', 'log', 'error', 'warn', 'info',
  // A tensor's chained ops (`x.sum(1, true).greater(0).toFloat()`: a user trial's data helper ran the whole script).
  // A method of the script's own by one of these names is read as the script's (bodyFitFree's userNames check).
  'greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual', 'logicalAnd', 'logicalOr', 'logicalNot', 'toFloat', 'toInt', 'toBool', 'cast', 'asType', 'clone',
  'expandDims', 'squeeze', 'transpose', 'flatten', 'matMul', 'dot', 'neg', 'exp', 'log1p', 'sqrt', 'square', 'abs', 'sign', 'round', 'floor', 'ceil', 'pow', 'mod', 'minimum', 'maximum',
  'relu', 'sigmoid', 'tanh', 'softmax', 'argMax', 'argMin', 'max', 'min', 'prod', 'norm', 'clipByValue', 'oneHot', 'gather', 'stack', 'unstack', 'tile', 'pad', 'reverse', 'split', 'as1D', 'as2D',
  'includes', 'indexOf', 'keys', 'values', 'entries', 'at', 'flat', 'padStart', 'padEnd', 'trim', 'toUpperCase', 'toLowerCase', 'toPrecision',
]);

/**
 * Of SAFE_METHODS, SAFE_ROOTS' and tfjs's functions, those that call a function handed to them (a
 * callback, a thenable's `then`, a replacer): an argument of theirs that is a parameter or a value
 * from elsewhere may be one that fits. The rest call none of their arguments.
 */
const CALLS_ARGUMENTS = new Set([
  'map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some', 'every', 'flatMap', 'sort', 'find', 'findIndex', 'findLast', 'findLastIndex', 'from', 'fromAsync',
  'then', 'catch', 'finally', 'all', 'allSettled', 'any', 'race', 'resolve', 'reject', 'stringify', 'parse', 'toString', 'join', 'replace', 'replaceAll',
  'tidy', 'grad', 'grads', 'valueAndGrad', 'valueAndGrads', 'customGrad', 'variableGrads', 'generator', 'profile', 'time', 'mapAsync', 'forEachAsync', 'minimize', 'apply', 'call', 'bind',
]);

/**
 * Whether the script's own `name` surely reaches no fit call, read from the text alone and erring
 * towards "it may": the script declares it once as a plain `function name(…) {` (no return type, not
 * imported as well), every other mention of it is a direct call `name(…)` (not a value passed on, a
 * parameter, a property, a reassignment or a method), and its body calls nothing that could reach a
 * fit (`bodyFitFree`). Classes, methods, arrows and anything else are taken as maybe reaching one.
 */
function surelyFitFree(name: string, scope: FitFreeScope): boolean {
  const known = scope.free.get(name);
  if (known !== undefined) return known;
  scope.free.set(name, true); // a recursion: decided by the rest of the body
  const decided = fitFreeDeclaration(name, scope);
  scope.free.set(name, decided);
  return decided;
}

function fitFreeDeclaration(name: string, scope: FitFreeScope): boolean {
  if (scope.imported.has(name)) return false;
  const { code } = scope;
  const escaped = name.replace(/\$/g, '\\$');
  const declarations = [...code.matchAll(new RegExp(`\\bfunction\\s*\\*?\\s*${escaped}\\s*\\(`, 'g'))];
  if (declarations.length !== 1) return false;
  const declaration = declarations[0]!;
  const paramsOpen = declaration.index + declaration[0].length - 1;
  const paramsClose = closingBracket(code, paramsOpen);
  if (paramsClose < 0 || code.slice(paramsOpen, paramsClose).includes('/')) return false;
  // A plain return type (`): tf.LayersModel {`, `): Promise<tf.Sequential> {`) is read past: a user
  // trial's TypeScript builder ran the whole script under --fit-line. One with braces or parentheses is not.
  // So is an object type without nested braces or parentheses (`): { x: Tensor2D; y: Tensor2D } {`, a user trial's data helper).
  const open = /^\s*(?::\s*(?:[\w$][\w$.<>[\]|&, ]*?|\{[^{}()]*\}(?:\s*\|\s*[\w$]+)?)\s*)?\{/.exec(code.slice(paramsClose + 1));
  if (open === null) return false; // not a declaration after all
  const bodyOpen = paramsClose + open[0].length;
  const bodyClose = closingBracket(code, bodyOpen);
  if (bodyClose < 0) return false;
  // Every other mention is a direct call (not `.name`, `new name`, `name = …`, `{ name: … }`, `(name)`).
  for (const m of code.matchAll(new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, 'g'))) {
    if (m.index >= declaration.index && m.index < declaration.index + declaration[0].length) continue;
    const before = code.slice(0, m.index).trimEnd();
    const after = code.slice(m.index + name.length);
    if (!/^\s*\(/.test(after) || before.endsWith('.') || /\bnew$/.test(before) || /\bfunction\s*\*?$/.test(before)) return false;
  }
  return bodyFitFree(code.slice(bodyOpen + 1, bodyClose), scope);
}

/** Whether a function body (code only) surely calls nothing that could reach a fit. */
function bodyFitFree(body: string, scope: FitFreeScope): boolean {
  if (/\b(?:fit|fitDataset|this|super|new|eval|Function|import|require|arguments|with|yield)\b/.test(body)) return false;
  // A regex literal (or a division) can hold brackets the reading would count; a template's `${…}` is blanked.
  if (/[/`]/.test(body) || body.includes('?.(')) return false;
  for (const [word] of body.matchAll(/[\w$]+/g)) {
    if (scope.userNames.has(word) && !surelyFitFree(word, scope)) return false;
  }
  for (const m of body.matchAll(/((?:[\w$]+\s*\??\.\s*)*)([\w$]+)\s*\(|[)\]]\s*\(/g)) {
    const name = m[2];
    if (name === undefined) return false; // a call of a call's or an element's result
    const chain = m[1]!;
    const before = body.slice(0, m.index).trimEnd();
    // A function named by a tfjs import (`import { sequential, tensor2d } from '@tensorflow/tfjs'`) is
    // tfjs's own: read as `tf.sequential(…)` is, its arguments below (a user trial's builder ran the whole script).
    const tfjsFunction = chain === '' && !before.endsWith('.') && scope.tfjs.has(name);
    if (chain === '' && !before.endsWith('.') && !tfjsFunction) {
      if (scope.userNames.has(name) || BUILT_IN_CALLS.has(name) || NOT_A_CALL.test(`${before} ${name}(`)) continue;
      return false; // a parameter, a name from elsewhere
    }
    const root = chain === '' ? null : /^[\w$]+/.exec(chain)?.[0] ?? null;
    // A layer's apply in a functional model (`tf.layers.dense({…}).apply(x)`): on what a tfjs call
    // returned, it calls no user code (a user trial's TypeScript builder ran the whole script under --fit-line).
    const onTfjsLayer = name === 'apply' && chain === '' && tfjsCallBefore(before, scope.tfjs);
    if (!tfjsFunction && !(root !== null && (scope.tfjs.has(root) || SAFE_ROOTS.has(root))) && !SAFE_METHODS.has(name) && !onTfjsLayer) return false;
    // A function handed to one of those (`xs.forEach(cb)`, `tf.tidy(fn)`) is called by it: a parameter,
    // or a value from elsewhere, may be one that fits. Only written-out callbacks and the script's
    // surely fit-free functions are read.
    const open = m.index + m[0].length - 1;
    const close = closingBracket(body, open);
    if (close < 0) return false;
    if (onTfjsLayer) continue; // its argument is a tensor, which it does not call
    // A value handed to a function that calls none of its arguments (`Math.sin(i)`, `tensor2d(xs)`) is not
    // called: a user trial's data helper was read as maybe fitting, and --fit-line ran the whole script.
    if (!CALLS_ARGUMENTS.has(name)) continue;
    for (const [, arg] of body.slice(open + 1, close).matchAll(/(?:^|,)\s*([\w$]+)\s*(?=,|$)/g)) {
      if (/^\d/.test(arg!) || (scope.userNames.has(arg!) && surelyFitFree(arg!, scope))) continue;
      return false;
    }
  }
  return true;
}

/**
 * Whether `before` (code up to a `.`) ends with a call of tfjs's layers (`tf.layers.dense({…})`): the
 * call's arguments skipped back to their opening bracket, the callee a chain from a tfjs name through `layers`.
 */
function tfjsCallBefore(before: string, tfjs: ReadonlySet<string>): boolean {
  const code = before.endsWith('.') ? before.slice(0, -1).trimEnd() : before;
  if (!code.endsWith(')')) return false;
  let depth = 0;
  let i = code.length - 1;
  for (; i >= 0; i--) {
    const ch = code[i];
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    else if (ch === '(' || ch === '[' || ch === '{') {
      depth--;
      if (depth === 0) break;
    }
  }
  if (i < 0) return false;
  const callee = /((?:[\w$]+\s*\.\s*)+[\w$]+)\s*$/.exec(code.slice(0, i))?.[1]?.replace(/\s+/g, '');
  const parts = callee?.split('.') ?? [];
  return parts.length === 3 && tfjs.has(parts[0]!) && parts[1] === 'layers';
}

/** The index of the bracket that closes the one at `open` in code-only text, or -1. */
function closingBracket(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const ch = code[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Functions of the language and of Node that call no user code on their own stack (a `--fit-line` on them reaches no fit: a timer's callback runs on a stack of its own). */
const BUILT_IN_CALLS = new Set(['Number', 'String', 'Boolean', 'Array', 'Object', 'Symbol', 'BigInt', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'structuredClone', 'Float32Array', 'Int32Array', 'Uint8Array', 'Float64Array', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
