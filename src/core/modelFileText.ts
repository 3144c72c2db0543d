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
 * holds a call and names `fit`/`fitDataset`, or one of those names whose definitions in `text` may
 * reach one in turn. A line whose calls are all of other things (`const ys = xs.sum(1, true)`: a
 * tensor's method) can reach no fit, and `--fit-line` there ran the whole script, training and saving,
 * before saying no fit call was at that line; so did a line calling only a function of the script
 * whose body reaches none (`const m = build();`, a user trial).
 */
export function lineMayReachFit(text: string, line: number, userNames: ReadonlySet<string>): boolean {
  return fitReachOfLine(text, line, userNames).reach;
}

/**
 * `lineMayReachFit`, and the script's own names the line uses that were looked into and reach no fit
 * (to name them when a `--fit-line` is refused).
 */
export function fitReachOfLine(text: string, line: number, userNames: ReadonlySet<string>): { readonly reach: boolean; readonly ownNoFit: readonly string[] } {
  if (!lineHoldsCall(text, line)) return { reach: false, ownNoFit: [] };
  const code = codeOnly(text);
  const at = sourceLines(code)[line - 1] ?? '';
  const seen = new Set<string>();
  const reach = codeMayReachFit(at, code, userNames, seen);
  const used = new Set([...at.matchAll(/[\w$]+/g)].map(([name]) => name));
  return { reach, ownNoFit: reach ? [] : [...seen].filter((name) => used.has(name)) };
}

/** A call of a plain name (group 2), or of a call's or an element's result (`})()`: no group 2). */
const PLAIN_CALL = /(^|[^\w$.\s]\s*|[^\w$.]|\s)([\w$]+)\s*\(|[)\]]\s*\(/g;

/** Whether `code` (code-only text: a line, or a body of the script's own) could call fit; `all` is the whole script's. */
function codeMayReachFit(code: string, all: string, userNames: ReadonlySet<string>, seen: Set<string>): boolean {
  for (const [name] of code.matchAll(/[\w$]+/g)) {
    if (name === 'fit' || name === 'fitDataset') return true;
    if (userNames.has(name) && ownNameMayReachFit(all, name, userNames, seen)) return true;
  }
  // A call of a plain name other than the language's own (a parameter `fn()`, `train = trainers[k]; train(m)`,
  // `require('./train')`), or of a call's or an element's result (an IIFE's `})()`), may reach a fit too:
  // only code whose calls are all methods of other things (`xs.sum(1)`, `console.log(…)`), or of the
  // script's own names that reach none, is refused.
  for (const m of code.matchAll(PLAIN_CALL)) {
    const name = m[2];
    if (name === undefined) return true;
    if (userNames.has(name)) continue; // looked into above
    const before = code.slice(0, m.index + m[1]!.length).trimEnd();
    if (!before.endsWith('.') && !NOT_A_CALL.test(`${before} ${name}(`) && !BUILT_IN_CALLS.has(name)) return true;
  }
  return false;
}

/**
 * Whether a name of the script's own may reach fit: true where the script defines it nowhere that
 * `bodiesOf` can delimit (a name of an imported module, an arrow with an expression body, a definition
 * the patterns miss); else whether one of its bodies may. Each name is looked into once (`seen`).
 */
function ownNameMayReachFit(all: string, name: string, userNames: ReadonlySet<string>, seen: Set<string>): boolean {
  if (seen.has(name)) return false; // looked into already (a recursion, or the same name twice)
  seen.add(name);
  const bodies = bodiesOf(all, name);
  if (bodies === null || bodies.length === 0) return true;
  return bodies.some((body) => codeMayReachFit(body, all, userNames, seen));
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

/**
 * The bodies of `name`'s definitions in `code` (code-only text): a `function name(…) {…}` or method
 * `name(…) {…}` block (a call is never followed by `{`), a `class name … {…}`, and a binding or property
 * holding a function (`name = (…) => {…}`, `name: async function (…) {…}`). Null where a definition's
 * body cannot be delimited (an arrow's expression body, a return type holding braces): it may reach a fit.
 */
function bodiesOf(code: string, name: string): string[] | null {
  const escaped = name.replace(/\$/g, '\\$');
  const bodies: string[] = [];
  const block = (open: number): boolean => {
    const close = code[open] === '{' ? closingBracket(code, open) : -1;
    if (close < 0) return false;
    bodies.push(code.slice(open + 1, close));
    return true;
  };
  // `function name(…) {` and methods `name(…): T {`: the parameters, then a block.
  for (const m of code.matchAll(new RegExp(`(?<![\\w$.])${escaped}\\s*(?:<[^<>()]*>)?\\s*\\(`, 'g'))) {
    const close = closingBracket(code, m.index + m[0].length - 1);
    if (close < 0) return null;
    const after = /^\s*(?::([^;=]*?))?\s*\{/.exec(code.slice(close + 1));
    if (after === null) continue; // a call
    if (after[1]?.includes('{') === true || after[1]?.includes('=>') === true) return null;
    if (!block(close + 1 + after[0].length - 1)) return null;
  }
  for (const m of code.matchAll(new RegExp(`\\bclass\\s+${escaped}(?![\\w$])[^{;]*\\{`, 'g'))) {
    if (!block(m.index + m[0].length - 1)) return null;
  }
  // `name = …`, `name: …` holding a function expression or an arrow.
  for (const m of code.matchAll(new RegExp(`(?<![\\w$.])${escaped}\\s*(?::\\s*[^=;,(){}]*)?(?:=(?!=)|:)\\s*(?:async\\s*)?(?:(function\\b\\s*\\*?\\s*[\\w$]*\\s*\\()|(\\()|[\\w$]+\\s*=>)`, 'g'))) {
    const end = m.index + m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) {
      const close = closingBracket(code, end - 1);
      if (close < 0) return null;
      const rest = code.slice(close + 1);
      if (m[1] !== undefined) {
        const open = /^\s*(?::[^;={]*)?\{/.exec(rest);
        if (open === null || !block(close + 1 + open[0].length - 1)) return null;
        continue;
      }
      const arrow = /^\s*(?::[^;={]*)?=>\s*/.exec(rest);
      if (arrow === null) continue; // `name = (a + b) * 2`: no function
      if (!block(close + 1 + arrow[0].length)) return null;
      continue;
    }
    if (!block(end + (/^\s*/.exec(code.slice(end))?.[0].length ?? 0))) return null;
  }
  return bodies;
}

/** Functions of the language and of Node that call no user code on their own stack (a `--fit-line` on them reaches no fit: a timer's callback runs on a stack of its own). */
const BUILT_IN_CALLS = new Set(['Number', 'String', 'Boolean', 'Array', 'Object', 'Symbol', 'BigInt', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'structuredClone', 'Float32Array', 'Int32Array', 'Uint8Array', 'Float64Array', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
