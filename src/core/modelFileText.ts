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
 * Whether a JS/TS text is a training script LR Lab runs up to its first `fit` call: it exports
 * neither `createModel` nor `loadData` and calls `.fit(`/`.fitDataset(` somewhere. A file that
 * exports one of the two is meant for the contract (and is told what is missing).
 */
export function looksLikeTrainingScript(text: string): boolean {
  return !EXPORT('createModel').test(text) && !EXPORT('loadData').test(text) && FIT_CALL.test(text);
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
 * Whether line `line` (1-based) of `text` holds a call — a name, `)` or `]` followed by `(` — outside
 * comments and string literals: `--fit-line` names a fit call or a call on the way to one, and a
 * line without any (`const n = 1200;`) can be neither. A user's typo there ran the whole script,
 * both its fits and the writes after them, before saying no fit call was at that line. Text-level:
 * a template literal's `${f(x)}` counts as a call, a keyword's `if (` does not.
 */
export function lineHoldsCall(text: string, line: number): boolean {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n\r\u2028\u2029]/g, ' '));
  const lines = code.split(/\r\n|[\n\r\u2028\u2029]/);
  const at = lines[line - 1];
  if (at === undefined) return false;
  const bare = at
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/(^|[\s;,{}()])\/\/.*$/, '$1');
  const KEYWORD_PAREN = /\b(?:if|for|while|switch|catch|return|typeof|await|new|function|do|else|in|of|case|void|delete|yield)\s*\($/;
  for (const m of bare.matchAll(/[\w$\])]\s*\(/g)) {
    const before = bare.slice(0, (m.index ?? 0) + m[0].length);
    if (!KEYWORD_PAREN.test(before)) return true;
  }
  return false;
}
