/**
 * Where an LR Lab callback goes in one `fit`/`fitDataset` call, in the styles users write — or, when
 * the file's style cannot be edited safely, why not (one line for the lens, and what to do).
 *
 * tfjs takes `callbacks` as one callback or an array: of `tf.Callback` instances (used as they are)
 * or of plain objects (each wrapped in a `CustomCallback`, whatever else the array holds). LR Lab's
 * callbacks are plain objects that close over the model and also carry every method tfjs calls on
 * an instance, so they work in either kind of array; attaching one is always "make the callbacks an
 * array that ends with it":
 *
 * - an array literal (spreads included) gets the call appended — cast through `unknown` to the
 *   element type when the array is cast (`[] as tf.Callback[]`: tsc sees no tf.Callback in it);
 * - a single callback (an object literal, a `new …`, `tf.callbacks.earlyStopping(…)`,
 *   `tf.node.tensorBoard(…)`, tfjs-vis' `show.fitCallbacks(…)`) becomes `[it, call]` — an object literal whose handlers' parameters have
 *   no types as `[it as tf.CustomCallbackArgs, call]` (JSDoc in JavaScript), so the types `fit` gave
 *   them survive the array under `noImplicitAny`; a variable holding an array literal `[...it, call]`,
 *   one holding a single callback `[it, call]` (a `let`/`var` only when the file never reassigns it);
 * - `callbacks: null`/`undefined`/`void 0` becomes `[call]`; a variable holding one of two arrays
 *   (`quiet ? [] : [logger]`) `[...it, call]`;
 * - no `callbacks` key: `callbacks: [call]` is added; no options argument: `{ callbacks: [call] }`;
 *   options in a variable whose object literal (never reassigned, no spreads, computed keys or
 *   accessors) has no `callbacks` key, and that the file uses only as `fit`'s argument, for plain
 *   property reads or in a spread: `{ ...opts, callbacks: [call] }` in the call.
 *
 * Refused, with the reason: callbacks built by a function call or taken from a parameter, an import
 * or another object (LR Lab cannot see what they hold: nesting an array in an array breaks `fit`);
 * options that spread another object, or have a computed key (`[KEY]: …`), after/without a
 * `callbacks` key (LR Lab's key would replace what the spread holds, or the computed key LR
 * Lab's), or come from anything but such a variable — one used otherwise (passed to a function,
 * put in another object, aliased, a property set) is refused naming that use and its line; a
 * model that is not a variable or property (`build().fit`).
 */
import ts from 'typescript';

export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Why a file's style cannot be edited safely: a short line (the lens title) and the fix (the message when it is clicked). */
export interface Refusal {
  readonly reason: string;
  readonly fix: string;
}

/** `byHand`: the fit is whole, only its callbacks are not LR Lab's to edit — the user can add the call (the block goes in for it). */
export type AttachPlan = { readonly ok: true; readonly changes: readonly TextChange[] } | ({ readonly ok: false; readonly byHand: boolean } & Refusal);

/** Callees whose result is one callback, never an array: tfjs's early stopping, tfjs-node's TensorBoard logger, tfjs-vis's charts. */
const SINGLE_CALLBACK_CALLEES = /(?:^|\.)(?:callbacks\.earlyStopping|node\.tensorBoard|show\.fitCallbacks)$/;
const MAX_SHOWN = 40;

function shown(node: ts.Node, source: ts.SourceFile): string {
  const text = node.getText(source).replace(/\s+/g, ' ');
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/**
 * The argument that names the model for LR Lab's factory, rebuilt from the syntax tree (never copied
 * text): `model`, `this.model`, `state.net`, `this.#model`, `models[0]`. A non-null assertion or a
 * cast on the receiver stays on the argument (`this.model!`, `(loaded as tf.LayersModel)`): under
 * `tsc --strict` the argument needs the type the receiver was given. Null for anything else.
 */
export function modelArgument(receiver: ts.Expression): string | null {
  return expressionText(receiver, false);
}

/** `modelArgument`'s text of `e`; `operand`: it is followed by `.name`, `[i]` or `!` (a cast then needs parentheses). */
function expressionText(e: ts.Expression, operand: boolean): string | null {
  if (ts.isParenthesizedExpression(e) || ts.isSatisfiesExpression(e)) return expressionText(e.expression, operand);
  if (ts.isNonNullExpression(e)) {
    const inner = expressionText(e.expression, true);
    return inner === null ? null : `${inner}!`;
  }
  if (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e)) {
    const inner = expressionText(e.expression, false);
    const type = typeText(e.type);
    if (inner === null || type === null) return null;
    return operand ? `(${inner} as ${type})` : `${inner} as ${type}`;
  }
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(e) && e.questionDotToken === undefined) {
    const base = expressionText(e.expression, true);
    return base === null ? null : `${base}.${e.name.text}`;
  }
  // An element read without side effects: `models[0]`, `models[i]`.
  if (ts.isElementAccessExpression(e) && e.questionDotToken === undefined && (ts.isNumericLiteral(e.argumentExpression) || ts.isIdentifier(e.argumentExpression))) {
    const base = expressionText(e.expression, true);
    return base === null ? null : `${base}[${e.argumentExpression.text}]`;
  }
  return null;
}

/** A type written as a (qualified) name with optional type arguments, or an array of one (`tf.LayersModel`, `tf.LayersModel[]`), rebuilt from the tree; null for other types. */
function typeText(type: ts.TypeNode): string | null {
  if (ts.isArrayTypeNode(type)) {
    const element = typeText(type.elementType);
    return element === null ? null : `${element}[]`;
  }
  if (!ts.isTypeReferenceNode(type)) return null;
  const name = (n: ts.EntityName): string => (ts.isIdentifier(n) ? n.text : `${name(n.left)}.${n.right.text}`);
  const args = (type.typeArguments ?? []).map((a) => typeText(a));
  if (args.some((a) => a === null)) return null;
  return args.length === 0 ? name(type.typeName) : `${name(type.typeName)}<${args.join(', ')}>`;
}

type Shape = { readonly kind: 'array'; readonly node: ts.ArrayLiteralExpression } | { readonly kind: 'single' } | { readonly kind: 'array-variable' } | { readonly kind: 'none' } | { readonly kind: 'unknown'; readonly reason: string };

/** Whether a destructuring pattern binds `name`. */
export function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, wanted));
}

/** The variable declaration or parameter `name` refers to at `from`, searching the enclosing scopes; 'other' for any other binding. */
export function declarationOf(name: string, from: ts.Node): ts.VariableDeclaration | ts.ParameterDeclaration | 'other' | null {
  const inList = (list: ts.VariableDeclarationList): ts.VariableDeclaration | 'other' | null => {
    for (const d of list.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name) return d;
      if (bindsName(d.name, name)) return 'other';
    }
    return null;
  };
  for (let scope: ts.Node | undefined = from.parent; scope !== undefined; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      for (const p of scope.parameters) if (bindsName(p.name, name)) return ts.isIdentifier(p.name) ? p : 'other';
    }
    if ((ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && scope.initializer !== undefined && ts.isVariableDeclarationList(scope.initializer) && inList(scope.initializer) !== null) return 'other';
    if (ts.isCatchClause(scope) && scope.variableDeclaration !== undefined && bindsName(scope.variableDeclaration.name, name)) return 'other';
    const statements = ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope) ? scope.statements : null;
    if (statements === null) continue;
    for (const s of statements) {
      if (ts.isVariableStatement(s)) {
        const found = inList(s.declarationList);
        if (found !== null) return found;
      }
      if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name?.text === name) return 'other';
      const clause = ts.isImportDeclaration(s) ? s.importClause : undefined;
      if (clause !== undefined) {
        const bindings = clause.namedBindings;
        const named = bindings !== undefined && (ts.isNamespaceImport(bindings) ? bindings.name.text === name : bindings.elements.some((e) => e.name.text === name));
        if (clause.name?.text === name || named) return 'other';
      }
      if (ts.isImportEqualsDeclaration(s) && s.name.text === name) return 'other';
    }
  }
  return null;
}

/** The declaration of a call's receiver where it is a plain name declared in the file (a `const`, `let`, `var` or parameter: `model` in `model.fit(…)`); else `null`. */
export function receiverDeclaration(call: ts.CallExpression): ts.VariableDeclaration | ts.ParameterDeclaration | null {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return null;
  const found = declarationOf(callee.expression.text, call);
  return found === 'other' ? null : found;
}

/** The name of the function whose call gives a variable its value (`const model = await createModel()`: 'createModel'), else `null`. */
export function initializingCall(declaration: ts.VariableDeclaration | ts.ParameterDeclaration): string | null {
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer === undefined) return null;
  let init: ts.Expression = declaration.initializer;
  while (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
  return ts.isCallExpression(init) && ts.isIdentifier(init.expression) ? init.expression.text : null;
}

/** Whether the file assigns to `name` anywhere after its declaration (`x = …`, `x += …`, `x++`). */
function isReassigned(name: string, source: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(unwrap(node.left)) && (unwrap(node.left) as ts.Identifier).text === name) found = true;
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand) && node.operand.text === name && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) found = true;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Options in a variable: the object literal a `const` (or never reassigned `let`/`var`) named by
 * `name` is declared with, or the first other use of the variable (`use`: where and what), which
 * LR Lab cannot tell the effect of on its callbacks; null when it holds no literal LR Lab can see.
 */
function variableObjectLiteral(name: ts.Identifier, source: ts.SourceFile): { readonly literal: ts.ObjectLiteralExpression; readonly typed: boolean } | { readonly use: string } | null {
  const declaration = declarationOf(name.text, name);
  if (declaration === null || declaration === 'other' || ts.isParameter(declaration) || declaration.initializer === undefined) return null;
  const list = declaration.parent;
  const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
  if (!isConst && isReassigned(name.text, source)) return null;
  const value = unwrap(declaration.initializer);
  if (!ts.isObjectLiteralExpression(value)) return null;
  const use = otherUse(name.text, declaration, source);
  if (use !== null) return { use };
  // A type of its own (`const opts: tf.ModelFitArgs = …`, a JSDoc `@type` or cast, `… as T`) decides what `opts.callbacks` is to tsc, not the literal.
  let written = declaration.initializer;
  let cast = false;
  while (ts.isParenthesizedExpression(written) || ts.isSatisfiesExpression(written)) {
    cast ||= ts.isParenthesizedExpression(written) && ts.getJSDocTypeTag(written) !== undefined;
    written = written.expression;
  }
  return { literal: value, typed: cast || written !== value || declaration.type !== undefined || ts.getJSDocType(declaration) !== undefined };
}

/** The expression a use of a variable stands in, through parentheses, casts and `!`. */
function outermost(node: ts.Expression): ts.Expression {
  let e = node;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isSatisfiesExpression(e.parent) || ts.isNonNullExpression(e.parent) || ts.isTypeAssertionExpression(e.parent)) e = e.parent;
  return e;
}

/** Whether `e` is written: assigned to, incremented, deleted, or a destructuring target. */
function isWritten(e: ts.Expression): boolean {
  const parent = e.parent;
  if (ts.isBinaryExpression(parent) && parent.left === e && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  if (ts.isDeleteExpression(parent)) return true;
  return (ts.isForInStatement(parent) || ts.isForOfStatement(parent)) && parent.initializer === e;
}

/**
 * The first use of the variable `name` (declared by `declaration`) other than as a `fit`/
 * `fitDataset` argument, a plain property read (`opts.epochs`, `opts['epochs']`) or a spread
 * into another object (a copy): "at line N (what it is)". Any such use — passed to a function,
 * put in another object, aliased, a property set, a method called — may change the callbacks
 * `fit` gets, where LR Lab cannot see. Null when there is none.
 */
function otherUse(name: string, declaration: ts.VariableDeclaration, source: ts.SourceFile): string | null {
  let found: string | null = null;
  const at = (node: ts.Node, what: string): void => {
    found ??= `at line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} (${what})`;
  };
  const visit = (node: ts.Node): void => {
    if (found !== null || node === declaration.name) return;
    if (ts.isIdentifier(node) && node.text === name && isReference(node) && declarationOf(name, node) === declaration) describe(node);
    ts.forEachChild(node, visit);
  };
  const describe = (id: ts.Identifier): void => {
    if (ts.isShorthandPropertyAssignment(id.parent)) return at(id, `put in an object: \`{ ${name} }\``);
    const e = outermost(id);
    const parent = e.parent;
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === e) {
      const key = ts.isPropertyAccessExpression(parent) ? parent.name.text : ts.isStringLiteralLike(parent.argumentExpression) ? parent.argumentExpression.text : shown(parent.argumentExpression, source);
      const access = outermost(parent);
      if (isWritten(access)) return at(id, `its \`${key}\` is set: \`${shown(access.parent, source)}\``);
      if (ts.isCallExpression(access.parent) && access.parent.expression === access) return at(id, `its method \`${key}\` is called`);
      return;
    }
    if (ts.isSpreadAssignment(parent)) return;
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(e) === true) {
      if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && /^fit(Dataset)?$/.test(parent.expression.name.text)) return;
      return at(id, `passed to ${ts.isNewExpression(parent) ? 'new ' : ''}${shown(parent.expression, source)}`);
    }
    if (ts.isPropertyAssignment(parent) && parent.initializer === e) return at(id, `put in an object: \`${shown(parent, source)}\``);
    if (ts.isArrayLiteralExpression(parent)) return at(id, 'put in an array');
    if (ts.isVariableDeclaration(parent) && parent.initializer === e) return at(id, `assigned to \`${shown(parent.name, source)}\``);
    if (ts.isBinaryExpression(parent) && parent.right === e && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return at(id, `assigned to \`${shown(parent.left, source)}\``);
    if (ts.isReturnStatement(parent)) return at(id, 'returned');
    return at(id, `in \`${shown(parent, source)}\``);
  };
  visit(source);
  return found;
}

/** Whether an identifier names a variable (not a property name, a declaration's own name or a label). */
function isReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent)) && parent.name === id) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isBindingElement(parent)) && parent.name === id) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if ((ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === id) return false;
  return !(ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent) || ts.isQualifiedName(parent) || ts.isTypeReferenceNode(parent));
}

/** What a `callbacks` value holds, as far as the file shows. */
function shapeOf(value: ts.Expression, source: ts.SourceFile, depth = 0): Shape {
  const e = unwrap(value);
  if (ts.isArrayLiteralExpression(e)) return { kind: 'array', node: e };
  // No callbacks written in the call: `null`, `undefined` (not a variable of the file's), `void 0`.
  if (depth === 0 && (e.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(e) || ts.isIdentifier(e) && e.text === 'undefined' && declarationOf(e.text, e) === null)) return { kind: 'none' };
  // A variable holding one of two arrays (`quiet ? [] : [logger]`): spread, it is an array either way.
  if (ts.isConditionalExpression(e) && depth > 0) {
    const either = [shapeOf(e.whenTrue, source, depth), shapeOf(e.whenFalse, source, depth)];
    if (either.every((b) => b.kind === 'array' || b.kind === 'array-variable')) return { kind: 'array-variable' };
  }
  if (ts.isObjectLiteralExpression(e) || ts.isNewExpression(e)) return { kind: 'single' };
  if (ts.isCallExpression(e)) {
    const callee = e.expression.getText(source).replace(/\s+/g, '');
    if (SINGLE_CALLBACK_CALLEES.test(callee)) return { kind: 'single' };
    return { kind: 'unknown', reason: `the callbacks come from ${shown(e.expression, source)}(…), which LR Lab cannot see into` };
  }
  if (ts.isIdentifier(e) && depth < 3) {
    const declaration = declarationOf(e.text, e);
    if (declaration === null || declaration === 'other') return { kind: 'unknown', reason: `the callbacks come from \`${e.text}\`, defined where LR Lab cannot follow it` };
    if (ts.isParameter(declaration)) return { kind: 'unknown', reason: `the callbacks come from the parameter \`${e.text}\`, which LR Lab cannot see into` };
    const list = declaration.parent;
    const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
    if (!isConst && isReassigned(e.text, source)) return { kind: 'unknown', reason: `the callbacks come from \`${e.text}\`, which the file reassigns` };
    if (declaration.initializer === undefined) return { kind: 'unknown', reason: `the callbacks come from \`${e.text}\`, declared without a value` };
    const inner = shapeOf(declaration.initializer, source, depth + 1);
    if (inner.kind === 'array' || inner.kind === 'array-variable') return { kind: 'array-variable' };
    const value = unwrap(declaration.initializer);
    // A value LR Lab cannot read names the variable it is in (calls and variables name themselves).
    if (inner.kind === 'unknown' && !ts.isCallExpression(value) && !ts.isIdentifier(value)) return { kind: 'unknown', reason: `the callbacks come from \`${e.text}\` (line ${lineOf(declaration, source)}: \`${shown(value, source)}\`), which LR Lab cannot tell the shape of` };
    return inner;
  }
  return { kind: 'unknown', reason: `LR Lab cannot tell what the callbacks \`${shown(e, source)}\` hold` };
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

function onLaterLine(text: string, from: number, to: number): boolean {
  return text.slice(from, to).includes('\n');
}

/**
 * The element type of the innermost cast on an array literal (`[] as tf.Callback[]`,
 * `<Array<tf.Callback>>[]`, `[] satisfies readonly tf.Callback[]`) between it and `value`, the
 * callbacks' value: 'none' when there is no cast, null when the cast's element type is unknown.
 */
function castElement(array: ts.ArrayLiteralExpression, value: ts.Expression): ts.TypeNode | 'none' | null {
  for (let node: ts.Node = array; node !== value && node.parent !== undefined; ) {
    node = node.parent;
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) return elementType(node.type);
  }
  return 'none';
}

function elementType(type: ts.TypeNode): ts.TypeNode | null {
  if (ts.isParenthesizedTypeNode(type)) return elementType(type.type);
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return elementType(type.type);
  if (ts.isArrayTypeNode(type)) return type.elementType;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && /^(?:Readonly)?Array$/.test(type.typeName.text) && type.typeArguments?.length === 1) return type.typeArguments[0]!;
  return null;
}

/** A type as TypeScript prints it from the tree (no comments), on one line. */
function printType(type: ts.TypeNode, source: ts.SourceFile): string {
  return ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed }).printNode(ts.EmitHint.Unspecified, type, source).replace(/\s*\n\s*/g, ' ');
}

/** The last comment between `from` and `to` (only trivia lies between them). */
function lastComment(text: string, from: number, to: number): ts.CommentRange | null {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text, undefined, from, to - from);
  let last: ts.CommentRange | null = null;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) last = { kind, pos: scanner.getTokenStart(), end: scanner.getTokenEnd() };
  }
  return last;
}

/** Where the first token at or after `pos` that is not trivia ends (a comma after comments). */
function tokenEndAfter(text: string, pos: number): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text, undefined, pos);
  scanner.scan();
  return scanner.getTokenEnd();
}

/** The start of the comments on lines of their own directly above `start` (between `from` and it); `start` when none. */
function commentsAbove(text: string, from: number, start: number): number {
  let anchor = start;
  for (const comment of [...(ts.getLeadingCommentRanges(text, from) ?? [])].reverse()) {
    const lineStart = text.lastIndexOf('\n', comment.pos - 1) + 1;
    if (!/^[ \t]*$/.test(text.slice(lineStart, comment.pos)) || !/^[ \t]*\r?\n[ \t]*$/.test(text.slice(comment.end, anchor))) break;
    anchor = comment.pos;
  }
  return anchor;
}

/** Where the line `pos` is on ends, after the comments that follow `pos` on it (`// stop when flat`). */
function afterLineComments(text: string, pos: number): number {
  return ts.getTrailingCommentRanges(text, pos)?.at(-1)?.end ?? pos;
}

/**
 * Appends `call` to an array literal, on its own line when the array puts its elements on their own
 * lines — after the comments that end the last element's line, which stay with that element.
 */
function appendToArray(array: ts.ArrayLiteralExpression, call: string, source: ts.SourceFile): TextChange[] {
  const text = source.text;
  const open = array.getStart(source);
  const last = array.elements.at(-1);
  if (last === undefined) {
    // An empty array: the call replaces what is between the brackets, except comments (`[/* later: a logger */]`), which it follows.
    const comment = lastComment(text, open + 1, array.getEnd() - 1);
    if (comment === null) return [{ start: open + 1, end: array.getEnd() - 1, text: call }];
    if (comment.kind === ts.SyntaxKind.SingleLineCommentTrivia) return [{ start: comment.end, end: comment.end, text: `\n${lineIndent(text, comment.pos)}${call}` }];
    return [{ start: comment.end, end: comment.end, text: ` ${call}` }];
  }
  const multiline = onLaterLine(text, open, last.getStart(source));
  const trailingComma = array.elements.hasTrailingComma;
  // After the trailing comma when there is one, so it stays last.
  const at = trailingComma ? tokenEndAfter(text, last.getEnd()) : last.getEnd();
  if (!multiline) return [{ start: at, end: at, text: trailingComma ? ` ${call},` : `, ${call}` }];
  const indent = lineIndent(text, last.getStart(source));
  const lineEnd = afterLineComments(text, at);
  if (trailingComma) return [{ start: lineEnd, end: lineEnd, text: `\n${indent}${call},` }];
  if (lineEnd === at) return [{ start: at, end: at, text: `,\n${indent}${call}` }];
  return [
    { start: lineEnd, end: lineEnd, text: `\n${indent}${call}` },
    { start: at, end: at, text: ',' },
  ];
}

function propertyName(p: ts.ObjectLiteralElementLike): string | null {
  if (p.name === undefined) return null;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNoSubstitutionTemplateLiteral(p.name)) return p.name.text;
  if (ts.isComputedPropertyName(p.name) && (ts.isStringLiteral(p.name.expression) || ts.isNoSubstitutionTemplateLiteral(p.name.expression))) return p.name.expression.text;
  return null;
}

/** A key whose name the file computes (`[KEY]: …`): it may be `callbacks`. */
function isComputedKey(p: ts.ObjectLiteralElementLike): p is ts.ObjectLiteralElementLike & { readonly name: ts.ComputedPropertyName } {
  return p.name !== undefined && ts.isComputedPropertyName(p.name) && propertyName(p) === null;
}

/**
 * `__proto__: base` in an object literal sets its prototype (a computed `['__proto__']` or a
 * shorthand is an own key): the options then inherit `base`'s callbacks, which a `callbacks` key of
 * LR Lab's would hide, as a key after a spread replaces what the spread holds.
 */
function prototypeSetter(p: ts.ObjectLiteralElementLike): boolean {
  return ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && propertyName(p) === '__proto__';
}

function lineOf(node: ts.Node, source: ts.SourceFile): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

/**
 * Whether `value` is an object literal written in the call with a handler whose parameters have no
 * type (`{ onBatchEnd: (batch) => … }`, or a method): `fit`'s parameter type gives them theirs only
 * while the object stands alone — in `[it, call]` the element type is a union of two callback types
 * whose handlers differ, so under `noImplicitAny` (strict TypeScript, `// @ts-check`) each
 * parameter becomes an error in a file that type-checked.
 */
function hasUntypedHandler(value: ts.Expression): boolean {
  let e = value;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isObjectLiteralExpression(e)) return false;
  const untyped = (f: ts.SignatureDeclarationBase): boolean => f.parameters.some((p) => p.type === undefined && ts.getJSDocType(p) === undefined);
  return e.properties.some((p) => {
    if (ts.isMethodDeclaration(p)) return untyped(p);
    if (!ts.isPropertyAssignment(p)) return false;
    let handler = p.initializer;
    while (ts.isParenthesizedExpression(handler)) handler = handler.expression;
    return (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) && untyped(handler);
  });
}

/**
 * The text that replaces the options argument `name` (a variable whose object literal holds
 * `callbacks` at `held`, away from the call): a copy whose callbacks are the variable's followed by `call`:
 * `{ ...opts, callbacks: [...opts.callbacks, call] }` for an array, `[opts.callbacks, call]` for one
 * callback, `[call]` for none. Null where the copy could be wrong: callbacks from a method or of a
 * shape LR Lab cannot tell, or a variable whose declared type (`const opts: tf.ModelFitArgs`) types
 * `opts.callbacks` as a union the copy cannot spread.
 */
function keptCallbacks(name: string, held: ts.ObjectLiteralElementLike, typed: boolean, source: ts.SourceFile, call: string): string | null {
  if (typed) return null;
  const value = ts.isPropertyAssignment(held) ? held.initializer : ts.isShorthandPropertyAssignment(held) ? held.name : null;
  if (value === null) return null;
  const shape = shapeOf(value, source);
  const own = `${name}.callbacks`;
  let callbacks: string;
  if (shape.kind === 'none') callbacks = `[${call}]`;
  else if (shape.kind === 'array') {
    const cast = castElement(shape.node, value);
    if (cast === null) return null;
    callbacks = `[...${own}, ${cast === 'none' ? call : `${call} as unknown as ${printType(cast, source)}`}]`;
  } else if (shape.kind === 'array-variable') callbacks = `[...${own}, ${call}]`;
  else if (shape.kind === 'single') callbacks = `[${own}, ${call}]`;
  else return null;
  return `{ ...${name}, callbacks: ${callbacks} }`;
}

/**
 * The change that puts `call` last in the callbacks of `fit` (a `fit`/`fitDataset` call expression),
 * or why that cannot be done safely. `call` is e.g. `lrlabOneCycle(model)`. `keepType` writes a
 * single object-literal callback with handlers whose parameters are untyped as tfjs' callback type
 * (`it as tf.CustomCallbackArgs`, JSDoc in JavaScript), so they keep the types `fit` gave them once
 * it is in an array (`hasUntypedHandler`); null when the file names no tfjs to take the type from.
 */
export function attachPlan(source: ts.SourceFile, fit: ts.CallExpression, method: 'fit' | 'fitDataset', call: string, keepType: ((it: string) => string) | null = null): AttachPlan {
  const refuse = (reason: string, fix = `add ${call} to the callbacks of ${method} yourself`): AttachPlan => ({ ok: false, byHand: true, reason, fix });
  const optionsIndex = method === 'fit' ? 2 : 1;
  const args = fit.arguments;
  if (args.length === 0) return { ok: false, byHand: false, reason: `${method}() has no arguments`, fix: `give ${method} its data first` };
  if (args.some((a) => ts.isSpreadElement(a))) return refuse(`${method}'s arguments are spread, so LR Lab cannot find its options`);
  const optionsArg = args[optionsIndex];
  if (optionsArg === undefined) {
    const at = args.at(-1)!.getEnd();
    const fill = ', undefined'.repeat(optionsIndex - args.length);
    return { ok: true, changes: [{ start: at, end: at, text: `${fill}, { callbacks: [${call}] }` }] };
  }
  const options = unwrap(optionsArg);
  if (!ts.isObjectLiteralExpression(options)) {
    const refused = refuse(`${method}'s options are \`${shown(optionsArg, source)}\`, not an object written in the call`, `add \`callbacks: [${call}]\` to those options yourself`);
    if (!ts.isIdentifier(options)) return refused;
    const variable = variableObjectLiteral(options, source);
    if (variable === null) return refused;
    if ('use' in variable) return refuse(`\`${options.text}\` is also used ${variable.use}: LR Lab cannot tell whether that changes its callbacks`, `add \`callbacks: [${call}]\` to \`${options.text}\` yourself, or write ${method}'s options in the call`);
    const literal = variable.literal;
    const spread = literal.properties.find(ts.isSpreadAssignment);
    if (spread !== undefined) return refuse(`${method}'s options \`${options.text}\` spread \`${shown(spread, source)}\` (line ${lineOf(spread, source)}), which may hold callbacks LR Lab cannot see`, `add ${call} to the callbacks of \`${options.text}\` yourself`);
    const proto = literal.properties.find(prototypeSetter);
    if (proto !== undefined) return refuse(`${method}'s options \`${options.text}\` inherit from \`${shown(proto, source)}\` (line ${lineOf(proto, source)}), which may hold callbacks LR Lab cannot see`, `add ${call} to the callbacks of \`${options.text}\` yourself`);
    const accessor = literal.properties.find((p) => !ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p) && !ts.isMethodDeclaration(p));
    if (accessor !== undefined) return refuse(`${method}'s options \`${options.text}\` have the accessor \`${shown(accessor, source)}\` (line ${lineOf(accessor, source)}), which LR Lab cannot see into`, `add ${call} to the callbacks of \`${options.text}\` yourself`);
    const computed = literal.properties.find(isComputedKey);
    if (computed !== undefined) return refuse(`${method}'s options \`${options.text}\` have the computed key \`${shown(computed.name, source)}\` (line ${lineOf(computed, source)}), which may be \`callbacks\`: LR Lab's would replace them`, `add ${call} to the callbacks of \`${options.text}\` yourself`);
    const held = [...literal.properties].reverse().find((p) => propertyName(p) === 'callbacks' || p.name === undefined || propertyName(p) === null);
    if (held === undefined) return { ok: true, changes: [{ start: optionsArg.getStart(source), end: optionsArg.getEnd(), text: `{ ...${options.text}, callbacks: [${call}] }` }] };
    // Written where the variable is (line N), maybe before the model or in another scope than the block: the
    // variable stays as it is, and the call gets a copy of it whose callbacks are its own and LR Lab's.
    const copy = keptCallbacks(options.text, held, variable.typed, source, call);
    if (copy !== null) return { ok: true, changes: [{ start: optionsArg.getStart(source), end: optionsArg.getEnd(), text: copy }] };
    return refuse(`${method}'s options are the variable \`${options.text}\`, whose callbacks are written at line ${lineOf(held, source)}, away from the call`, `add ${call} to the callbacks of \`${options.text}\` yourself, or give ${method} \`{ ...${options.text}, callbacks: [/* its callbacks */, ${call}] }\``);
  }
  const properties = options.properties;
  const index = properties.map(propertyName).lastIndexOf('callbacks');
  const spread = properties.findIndex((p, i) => ts.isSpreadAssignment(p) && i > index);
  if (spread >= 0) return refuse(`${method}'s options spread \`${shown(properties[spread]!, source)}\`, which may hold callbacks LR Lab cannot see`);
  // Inherited callbacks: hidden by a key LR Lab adds (own ones, written in the call, already hide them).
  const proto = index < 0 ? properties.find(prototypeSetter) : undefined;
  if (proto !== undefined) return refuse(`${method}'s options inherit from \`${shown(proto, source)}\` (line ${lineOf(proto, source)}), which may hold callbacks LR Lab's \`callbacks\` key would hide`);
  // A computed key after the callbacks (or anywhere, when LR Lab adds the key first) could replace them.
  const computed = properties.filter((_p, i) => i > index).find(isComputedKey);
  if (computed !== undefined) return refuse(`${method}'s options have the computed key \`${shown(computed.name, source)}\` (line ${lineOf(computed, source)}), which may be \`callbacks\` and replace the ones LR Lab adds`);
  if (index < 0) {
    const first = properties[0];
    const brace = options.getStart(source) + 1;
    if (first === undefined) {
      // `{}`: filled; `{ /* defaults for now */ }` or a `// TODO` line inside: the key goes first, the comments stay.
      const inside = source.text.slice(brace, options.getEnd() - 1);
      if (/^\s*$/.test(inside)) return { ok: true, changes: [{ start: brace, end: options.getEnd() - 1, text: ` callbacks: [${call}] ` }] };
      return { ok: true, changes: [{ start: brace, end: brace, text: ` callbacks: [${call}],` }] };
    }
    const at = first.getStart(source);
    if (onLaterLine(source.text, brace, at)) {
      // Above the comments on their own lines over the first property, which stay with it.
      const above = commentsAbove(source.text, first.pos, at);
      return { ok: true, changes: [{ start: above, end: above, text: `callbacks: [${call}],\n${lineIndent(source.text, at)}` }] };
    }
    // `{epochs:2}` written tight stays tight: `{callbacks: [call],epochs:2}` (was `{ callbacks: [call],epochs:2}`).
    const tight = !/\s/.test(source.text[brace] ?? ' ');
    return { ok: true, changes: [{ start: brace, end: brace, text: `${tight ? '' : ' '}callbacks: [${call}],` }] };
  }
  const property = properties[index]!;
  const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : null;
  if (value === null) return refuse(`${method}'s callbacks are defined by a method or accessor, which LR Lab cannot see into`);
  const shape = shapeOf(value, source);
  if (shape.kind === 'unknown') return refuse(shape.reason);
  if (shape.kind === 'none') return { ok: true, changes: [{ start: value.getStart(source), end: value.getEnd(), text: `[${call}]` }] };
  if (shape.kind === 'array') {
    const cast = castElement(shape.node, value);
    if (cast === null) return refuse(`the callbacks array is cast to a type LR Lab cannot read its element type from (line ${lineOf(shape.node, source)})`);
    // `[] as tf.Callback[]`: the plain-object callback is no tf.Callback to tsc; `as unknown as` the element type keeps the cast valid.
    return { ok: true, changes: appendToArray(shape.node, cast === 'none' ? call : `${call} as unknown as ${printType(cast, source)}`, source) };
  }
  const name = value.getText(source);
  const single = keepType !== null && hasUntypedHandler(value) ? keepType(name) : name;
  const array = shape.kind === 'array-variable' ? `[...${name}, ${call}]` : `[${single}, ${call}]`;
  if (ts.isShorthandPropertyAssignment(property)) return { ok: true, changes: [{ start: property.getStart(source), end: property.getEnd(), text: `callbacks: ${array}` }] };
  return { ok: true, changes: [{ start: value.getStart(source), end: value.getEnd(), text: array }] };
}
