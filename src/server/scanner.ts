/**
 * Finds, with the TypeScript parser (never regexes), what LR Lab's lenses and edits need in a
 * JS/TS document: the contract's `createModel`/`loadData` exports, tfjs model construction, and
 * `fit`/`fitDataset` calls with their options and `callbacks`. Parsing never throws on
 * half-typed code (the parser recovers); look-alikes in strings and comments are not nodes.
 *
 * A `.fit(` counts only on a receiver that this file builds with `tf.sequential`/`tf.model`/
 * `tf.loadLayersModel` (or that `createModel` returns), or that is named `model`/`*Model` —
 * other libraries' `fit` (scikit-style, curve fitting) stay untouched.
 */
import ts from 'typescript';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface FitCall {
  /** Start of the statement holding the call: where the schedule block goes. */
  readonly statementStart: Position;
  readonly statementStartOffset: number;
  readonly indent: string;
  readonly method: 'fit' | 'fitDataset';
  readonly receiver: string;
  /** The options object literal, when the call has one. */
  readonly options: { readonly start: number; readonly end: number; readonly hasProperties: boolean } | null;
  /** The `callbacks` property value, when present. */
  readonly callbacks: { readonly start: number; readonly end: number; readonly isArrayLiteral: boolean; readonly text: string; readonly elementsEnd: number; readonly empty: boolean } | null;
  /** Where a new last argument would go (just before the closing parenthesis). */
  readonly argumentsEnd: number;
  readonly line: number;
}

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export interface ScanResult {
  readonly createModel: Position | null;
  readonly loadData: Position | null;
  readonly modelBuilders: Position[];
  /** `compile` calls on a receiver that looks like a model (same rule as `fit`). */
  readonly compileCalls: Position[];
  readonly fitCalls: FitCall[];
  /** The marked schedule block, when the file has one. */
  readonly existingBlock: TextRange | null;
  readonly quote: "'" | '"';
}

const BUILDERS = new Set(['sequential', 'model', 'loadLayersModel']);

function position(source: ts.SourceFile, offset: number): Position {
  const { line, character } = source.getLineAndCharacterOfPosition(offset);
  return { line, character };
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/i.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.(m|c)?ts$/i.test(fileName)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

export function scan(fileName: string, text: string): ScanResult {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  let createModel: Position | null = null;
  let loadData: Position | null = null;
  const modelBuilders: Position[] = [];
  const compileCalls: { readonly at: Position; readonly receiver: string }[] = [];
  const fitCalls: FitCall[] = [];
  const modelNames = new Set<string>();
  let singleQuotes = 0;
  let doubleQuotes = 0;

  const isExported = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const mark = (name: string, node: ts.Node): void => {
    const at = position(source, node.getStart(source));
    if (name === 'createModel' && createModel === null) createModel = at;
    if (name === 'loadData' && loadData === null) loadData = at;
  };

  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      if (node.getText(source).startsWith("'")) singleQuotes++;
      else doubleQuotes++;
    }
    // export function createModel / export const loadData = ...
    if (ts.isFunctionDeclaration(node) && node.name !== undefined && isExported(node)) mark(node.name.text, node);
    if (ts.isVariableStatement(node) && isExported(node)) {
      for (const d of node.declarationList.declarations) if (ts.isIdentifier(d.name)) mark(d.name.text, node);
    }
    // export { createModel, loadData }
    if (ts.isExportDeclaration(node) && node.exportClause !== undefined && ts.isNamedExports(node.exportClause)) {
      for (const e of node.exportClause.elements) mark(e.name.text, node);
    }
    // exports.createModel = ... / module.exports.loadData = ... / module.exports = { createModel, loadData }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = node.left.getText(source);
      const match = /^(?:module\.)?exports\.(\w+)$/.exec(left);
      if (match?.[1] !== undefined) mark(match[1], node);
      if (left === 'module.exports' && ts.isObjectLiteralExpression(node.right)) {
        for (const p of node.right.properties) if (p.name !== undefined && ts.isIdentifier(p.name)) mark(p.name.text, node);
      }
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const receiver = node.expression.expression.getText(source);
      if (BUILDERS.has(name) && /^(tf|tfjs|tfl)$/.test(receiver)) {
        modelBuilders.push(position(source, node.getStart(source)));
        // `const model = tf.sequential()`: remember the name.
        let parent: ts.Node = node.parent;
        while (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent)) parent = parent.parent;
        if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) modelNames.add(parent.name.text);
      }
      if (name === 'compile') compileCalls.push({ at: position(source, node.getStart(source)), receiver });
      if (name === 'fit' || name === 'fitDataset') {
        const fit = fitCall(source, node, name, receiver);
        if (fit !== null) fitCalls.push(fit);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);

  const looksLikeModel = (receiver: string): boolean => modelNames.has(receiver) || /(^|\.)(model|\w*Model)$/.test(receiver);
  return {
    createModel,
    loadData,
    modelBuilders,
    compileCalls: compileCalls.filter((c) => looksLikeModel(c.receiver)).map((c) => c.at),
    fitCalls: fitCalls.filter((f) => looksLikeModel(f.receiver)),
    existingBlock: findMarkedBlock(text, '// <lrlab:schedule>', '// </lrlab:schedule>'),
    quote: doubleQuotes > singleQuotes ? '"' : "'",
  };
}

/**
 * A block LR Lab inserted, from its start marker to the end of its end marker. The markers are
 * our own comments, so a plain text search is exact; a start without an end (the user deleted
 * it) is no block, and re-insertion then adds a fresh one rather than guess where it ended.
 */
export function findMarkedBlock(text: string, startMarker: string, endMarker: string): TextRange | null {
  const start = text.indexOf(startMarker);
  const end = start < 0 ? -1 : text.indexOf(endMarker, start);
  return start >= 0 && end >= 0 ? { start, end: end + endMarker.length } : null;
}

function fitCall(source: ts.SourceFile, call: ts.CallExpression, method: 'fit' | 'fitDataset', receiver: string): FitCall | null {
  let statement: ts.Node = call;
  while (statement.parent !== undefined && !ts.isSourceFile(statement.parent) && !ts.isBlock(statement.parent)) statement = statement.parent;
  if (!ts.isStatement(statement)) return null;
  const statementStartOffset = statement.getStart(source);
  const lineStart = source.text.lastIndexOf('\n', statementStartOffset - 1) + 1;
  const indent = /^[ \t]*/.exec(source.text.slice(lineStart, statementStartOffset))?.[0] ?? '';
  const optionsIndex = method === 'fit' ? 2 : 1;
  const optionsArg = call.arguments[optionsIndex];
  let options: FitCall['options'] = null;
  let callbacks: FitCall['callbacks'] = null;
  if (optionsArg !== undefined && ts.isObjectLiteralExpression(optionsArg)) {
    options = { start: optionsArg.getStart(source), end: optionsArg.getEnd(), hasProperties: optionsArg.properties.length > 0 };
    for (const p of optionsArg.properties) {
      if (ts.isPropertyAssignment(p) && p.name.getText(source) === 'callbacks') {
        const value = p.initializer;
        const isArray = ts.isArrayLiteralExpression(value);
        callbacks = {
          start: value.getStart(source),
          end: value.getEnd(),
          isArrayLiteral: isArray,
          text: value.getText(source),
          elementsEnd: isArray ? (value.elements.at(-1)?.getEnd() ?? value.getStart(source) + 1) : value.getEnd(),
          empty: isArray && value.elements.length === 0,
        };
      }
    }
  }
  return {
    statementStart: position(source, statementStartOffset),
    statementStartOffset: lineStart,
    indent,
    method,
    receiver,
    options,
    callbacks,
    argumentsEnd: call.arguments.at(-1)?.getEnd() ?? call.arguments.pos,
    line: position(source, call.getStart(source)).line,
  };
}
