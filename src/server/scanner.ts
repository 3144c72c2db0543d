/**
 * Finds, with the TypeScript parser (never regexes), what LR Lab's lenses and edits need in a
 * JS/TS document: the contract's `createModel`/`loadData` exports, tfjs model construction, and
 * `fit`/`fitDataset` calls with their options and `callbacks`. Parsing never throws on
 * half-typed code (the parser recovers); look-alikes in strings and comments are not nodes.
 *
 * A `.fit(` counts only on a receiver that this file builds with tfjs' `sequential`/`model`/
 * `loadLayersModel` — through whatever name it imports tfjs under (`import * as tfjs`, named
 * imports, `require`, `@tensorflow/tfjs-node`), into a variable, a property it assigns
 * (`this.net = tf.sequential()`) or a class field (`#model = tf.sequential()`), or from a function
 * of the file that returns such a model (`const net = build()`) — or that is named
 * `model`/`*Model` (`models[0]`: an element of `models`/`*Models`); other libraries' `fit`
 * (scikit-style, curve fitting) stay untouched. Non-null assertions, casts and parentheses around
 * the receiver do not hide it (`this.model!.fit`), and a cast to a tfjs model makes one
 * (`(loaded as tf.LayersModel).fit`).
 */
import ts from 'typescript';
import type { OptimizerFamily } from '../protocol/results';
import { OPTIMIZER_FAMILY } from '../protocol/results';
import { looksLikeTrainingScript } from '../core/modelFileText';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface FitCall {
  /** Start of the statement holding the call: where the schedule block goes. */
  readonly statementStart: Position;
  /**
   * Where the block goes: the start of the statement's line, or the statement itself when other
   * code precedes it on that line (`sharesLine`: the block then needs its own line breaks).
   */
  readonly statementStartOffset: number;
  readonly sharesLine: boolean;
  /** The indentation of the statement's line. */
  readonly indent: string;
  readonly method: 'fit' | 'fitDataset';
  readonly receiver: string;
  readonly line: number;
  /** The line of the `fit` name (0-based): the one a stack frame of the call names (the engine's `fitLine` is it + 1). */
  readonly nameLine: number;
  /** The call itself, for `attachPlan` (src/server/fitCallbacks.ts). */
  readonly node: ts.CallExpression;
}

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export interface ScanResult {
  readonly createModel: Position | null;
  readonly loadData: Position | null;
  readonly modelBuilders: Position[];
  /**
   * `compile` calls on a receiver that looks like a model (same rule as `fit`), with that receiver as
   * written for `fit`: `optimizer`, the family it compiles where the file shows it, in the call or a
   * `const` (`compiledOptimizer`); `opaque`, else the text whose optimizer LR Lab cannot tell (`cfg.optimizer`).
   */
  readonly compileCalls: (Position & { readonly receiver: string; readonly optimizer: OptimizerFamily | null; readonly opaque: string | null; readonly node: ts.CallExpression })[];
  readonly fitCalls: FitCall[];
  /** The file's own functions that return a tfjs model (`function build() { …; return m; }`, `const make = () => …`), by name (the first of a name). */
  readonly localBuilders: ReadonlyMap<string, ts.FunctionLikeDeclaration>;
  readonly quote: "'" | '"';
  /** Whether the file ends its statements with semicolons (most of them); false for a file written without (standard style). */
  readonly semicolons: boolean;
  /**
   * How this file's code can name tfjs' type of a plain-object callback: through its namespace
   * (`tf.CustomCallbackArgs`), else through the module it imports tfjs from
   * (`import('@tensorflow/tfjs-node').CustomCallbackArgs`); null when it imports no tfjs.
   */
  readonly callbackArgsType: string | null;
  /** The parsed file (parent pointers set), for the edit builders. */
  readonly source: ts.SourceFile;
}

const BUILDERS = new Set(['sequential', 'model', 'loadLayersModel']);

/** LR Lab's optimizer names by family (protocol), and tfjs's `tf.train.momentum(…)`. */
const FAMILY_OF: Readonly<Record<string, OptimizerFamily>> = { ...OPTIMIZER_FAMILY, momentum: 'sgd' };

/** The family of a run's optimizer by LR Lab's name for it (`OptimizerName`), or null for one it does not know. */
export function familyOf(name: unknown): OptimizerFamily | null {
  return typeof name === 'string' && Object.hasOwn(FAMILY_OF, name) ? FAMILY_OF[name]! : null;
}

/**
 * The optimizer a `compile({ optimizer })` call shows: its family where it is a string (`'adam'`) or a
 * `<namespace>.train.<name>(…)` call, written there or in the `const` it names (`const opt =
 * tf.train.adam(1e-3)`); else the text LR Lab cannot tell the optimizer of (`cfg.optimizer`,
 * `makeOpt()`, a whole config `compileArgs`), `opaque`; both null where the call names none.
 */
function compiledOptimizer(call: ts.CallExpression): { readonly family: OptimizerFamily | null; readonly opaque: string | null } {
  const source = call.getSourceFile();
  const given = call.arguments[0];
  if (given === undefined) return { family: null, opaque: null };
  // `compile(compileArgs)` with `const compileArgs = { optimizer: 'adam', … }` in the file: read that object.
  const named = ts.isIdentifier(given) ? constInitializer(source, given.text) : null;
  const config = named !== null && ts.isObjectLiteralExpression(named) ? named : given;
  if (!ts.isObjectLiteralExpression(config)) return { family: null, opaque: config.getText(source) };
  const property = config.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === 'optimizer');
  if (property === undefined) {
    // `{ ...base, loss }`: the optimizer may be in the spread.
    const spread = config.properties.find(ts.isSpreadAssignment);
    return { family: null, opaque: spread === undefined ? null : spread.expression.getText(source) };
  }
  const value = ts.isShorthandPropertyAssignment(property) ? property.name : (property as ts.PropertyAssignment).initializer;
  const family = optimizerFamilyOf(value, source);
  return family === null ? { family: null, opaque: value.getText(source) } : { family, opaque: null };
}

/** The family an optimizer expression names: a string, a `train.<name>(…)` call, or a `const` initialised with one. */
function optimizerFamilyOf(value: ts.Expression, source: ts.SourceFile, depth = 0): OptimizerFamily | null {
  if (ts.isStringLiteralLike(value)) return familyOf(value.text.toLowerCase());
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression)) {
    const owner = value.expression.expression;
    const train = ts.isPropertyAccessExpression(owner) ? owner.name.text === 'train' : ts.isIdentifier(owner) && owner.text === 'train';
    return train ? familyOf(value.expression.name.text.toLowerCase()) : null;
  }
  if (ts.isIdentifier(value) && depth < 3) {
    const initializer = constInitializer(source, value.text);
    return initializer === null ? null : optimizerFamilyOf(initializer, source, depth + 1);
  }
  return null;
}

/** The initializer of the one `const <name> = …` in the file (null where there is none, or more than one: shadowed names). */
function constInitializer(source: ts.SourceFile, name: string): ts.Expression | null {
  // Every declaration of the name: a `let` or one without a value counts, as null (it may hold anything).
  const found: (ts.Expression | null)[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) {
      const list = node.parent;
      found.push(ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0 && node.initializer !== undefined ? node.initializer : null);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.length === 1 ? (found[0] ?? null) : null;
}
/** The packages a tfjs model can be built from. */
const TFJS_MODULE = /^@tensorflow\/tfjs(?:-node(?:-gpu)?|-layers)?$/;
/** Namespace names assumed to be tfjs when the file does not show its import (a snippet, a global). */
const USUAL_NAMESPACES = ['tf', 'tfjs', 'tfl'];

/**
 * The names this file gives tfjs at its top level: namespaces (`tf.sequential`) and builders imported
 * by name (`sequential`); and for types, the first namespace its types can read tfjs through (an
 * import, or in JavaScript a `require` too) and the first tfjs module it imports.
 */
function tfjsBindings(source: ts.SourceFile): { namespaces: Set<string>; builders: Set<string>; typeNamespace: string | null; module: string | null } {
  const namespaces = new Set(USUAL_NAMESPACES);
  const builders = new Set<string>();
  let typeNamespace: string | null = null;
  let module: string | null = null;
  // A TypeScript file's `const tf = require(…)` is a value only; JavaScript's checker reads it as a namespace.
  const javascript = /\.[cm]?jsx?$/i.test(source.fileName);
  const isTfjs = (node: ts.Node | undefined): boolean => node !== undefined && ts.isStringLiteralLike(node) && TFJS_MODULE.test(node.text);
  const isRequire = (node: ts.Expression | undefined): node is ts.CallExpression => node !== undefined && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && isTfjs(node.arguments[0]);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && isTfjs(node.moduleSpecifier) && node.importClause !== undefined) {
      const { name, namedBindings } = node.importClause;
      module ??= (node.moduleSpecifier as ts.StringLiteral).text;
      if (name !== undefined) namespaces.add(name.text);
      if (namedBindings !== undefined && ts.isNamespaceImport(namedBindings)) {
        namespaces.add(namedBindings.name.text);
        typeNamespace ??= namedBindings.name.text;
      }
      if (namedBindings !== undefined && ts.isNamedImports(namedBindings)) {
        for (const e of namedBindings.elements) if (BUILDERS.has((e.propertyName ?? e.name).text)) builders.add(e.name.text);
      }
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && isTfjs(node.moduleReference.expression)) {
      namespaces.add(node.name.text);
      typeNamespace ??= node.name.text;
      module ??= (node.moduleReference.expression as ts.StringLiteral).text;
    }
    if (ts.isVariableDeclaration(node) && isRequire(node.initializer)) {
      module ??= (node.initializer.arguments[0] as ts.StringLiteral).text;
      if (ts.isIdentifier(node.name)) {
        namespaces.add(node.name.text);
        if (javascript) typeNamespace ??= node.name.text;
      }
      if (ts.isObjectBindingPattern(node.name)) {
        for (const e of node.name.elements) {
          const imported = e.propertyName ?? e.name;
          if (ts.isIdentifier(imported) && ts.isIdentifier(e.name) && BUILDERS.has(imported.text)) builders.add(e.name.text);
        }
      }
    }
  };
  // Imports and requires of tfjs sit at the top of a file: its statements and their declarations.
  for (const statement of source.statements) {
    visit(statement);
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach(visit);
  }
  return { namespaces, builders, typeNamespace, module };
}

/**
 * A receiver as a name: `model`, `this.net`, `this.#model`, `models[0]`, read through non-null
 * assertions, casts and parentheses; null for anything else (a call, an optional chain, …).
 */
export function receiverName(expr: ts.Expression): string | null {
  const e = ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isNonNullExpression(expr) || ts.isTypeAssertionExpression(expr) ? expr.expression : expr;
  if (e !== expr) return receiverName(e);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(e) && e.questionDotToken === undefined) {
    const base = receiverName(e.expression);
    return base === null ? null : `${base}.${e.name.text}`;
  }
  if (ts.isElementAccessExpression(e) && e.questionDotToken === undefined && (ts.isNumericLiteral(e.argumentExpression) || ts.isIdentifier(e.argumentExpression))) {
    const base = receiverName(e.expression);
    return base === null ? null : `${base}[${e.argumentExpression.text}]`;
  }
  return null;
}

/** A call of tfjs' `sequential`/`model`/`loadLayersModel`, through the file's names for tfjs. */
function isBuilderCall(node: ts.Node, tfjs: ReturnType<typeof tfjsBindings>, source: ts.SourceFile): boolean {
  if (!ts.isCallExpression(node)) return false;
  if (ts.isIdentifier(node.expression)) return tfjs.builders.has(node.expression.text);
  return ts.isPropertyAccessExpression(node.expression) && BUILDERS.has(node.expression.name.text) && tfjs.namespaces.has(node.expression.expression.getText(source));
}

function unwrap(e: ts.Expression): ts.Expression {
  return ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) ? unwrap(e.expression) : e;
}

/**
 * Models made by a function of the file (`function build() { const m = tf.sequential(); …; return m; }`,
 * `const make = () => tf.sequential(…)`): a variable given its result (`const net = build()`,
 * `net = await build()`) is a model too. A user's `net.fit` of this kind had no lens at all.
 */
function modelsFromLocalBuilders(source: ts.SourceFile, tfjs: ReturnType<typeof tfjsBindings>, modelNames: Set<string>): Map<string, ts.FunctionLikeDeclaration> {
  const builders = new Map<string, ts.FunctionLikeDeclaration>();
  // A call of another of the file's builders counts too (`function build() { return createModel(); }`:
  // a user's `const net = build()` had no lens above its fits, and no word why).
  const isModel = (e: ts.Expression): boolean => {
    const inner = unwrap(e);
    return isBuilderCall(inner, tfjs, source) || (ts.isIdentifier(inner) && modelNames.has(inner.text)) || (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && builders.has(inner.expression.text));
  };
  const returnsModel = (fn: ts.FunctionLikeDeclaration): boolean => {
    if (fn.body === undefined) return false;
    if (!ts.isBlock(fn.body)) return isModel(fn.body);
    let found = false;
    const walk = (n: ts.Node): void => {
      if (found || ts.isFunctionLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression !== undefined && isModel(n.expression)) found = true;
      ts.forEachChild(n, walk);
    };
    fn.body.statements.forEach(walk);
    return found;
  };
  // The file's named functions, in order, walked once (the first of a name that returns a model is its builder).
  const functions: [string, ts.FunctionLikeDeclaration][] = [];
  const collect = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) && n.name !== undefined) functions.push([n.name.text, n]);
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer !== undefined) {
      const init = unwrap(n.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) functions.push([n.name.text, init]);
    }
    ts.forEachChild(n, collect);
  };
  collect(source);
  // Until no more are found: a builder of a builder is found once the one it calls is.
  for (let size = -1; size !== builders.size; ) {
    size = builders.size;
    for (const [name, fn] of functions) if (!builders.has(name) && returnsModel(fn)) builders.set(name, fn);
  }
  if (builders.size === 0) return builders;
  const madeBy = (e: ts.Expression): boolean => {
    const inner = unwrap(e);
    return ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && builders.has(inner.expression.text);
  };
  const mark = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer !== undefined && madeBy(n.initializer)) modelNames.add(n.name.text);
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && madeBy(n.right)) {
      // `net = build()`, and `this.net = build()` as `remember` names a property.
      const name = ts.isIdentifier(n.left) ? n.left.text : receiverName(n.left);
      if (name !== null) modelNames.add(name);
    }
    // A class field the file's builder gives (`private net = createModel()`): a user's `this.net.fit` had no
    // lens, where the same field named `model` did, and `const net = build()` did.
    if (ts.isPropertyDeclaration(n) && (ts.isIdentifier(n.name) || ts.isPrivateIdentifier(n.name)) && n.initializer !== undefined && madeBy(n.initializer)) modelNames.add(`this.${n.name.text}`);
    ts.forEachChild(n, mark);
  };
  mark(source);
  return builders;
}

/** tfjs' model classes, as a cast names them (`tf.LayersModel`, `Sequential`). */
const MODEL_TYPES = new Set(['LayersModel', 'Sequential']);

/** Whether the receiver is cast to a tfjs model (`(x as tf.LayersModel)`), or is an element of an array cast to models. */
function castToModel(expr: ts.Expression, element = false): boolean {
  if (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) return castToModel(expr.expression, element);
  if (ts.isAsExpression(expr) || ts.isTypeAssertionExpression(expr)) {
    const type = element ? (ts.isArrayTypeNode(expr.type) ? expr.type.elementType : null) : expr.type;
    if (type !== null && ts.isTypeReferenceNode(type) && MODEL_TYPES.has(ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text)) return true;
    return castToModel(expr.expression, element);
  }
  if (ts.isElementAccessExpression(expr) && !element) return castToModel(expr.expression, true);
  return false;
}

/** Whether an expression is cast to a type (`(reg as Regression)`): where not a model type, another object's. */
function castToOther(expr: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr)) return castToOther(expr.expression);
  return ts.isAsExpression(expr) || ts.isTypeAssertionExpression(expr) || ts.isSatisfiesExpression(expr);
}

/**
 * Names the file gives a `new X(…)` or the result of one of its own functions (declared in it): their
 * origin is in view, and not a tfjs builder (those made them models already), so their fit is not a model's.
 */
function madeElsewhere(source: ts.SourceFile): Set<string> {
  const own = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name !== undefined) own.add(node.name.text);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) own.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(source);
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const give = (name: string, value: ts.Expression | undefined): void => {
      let v = value;
      while (v !== undefined && (ts.isAwaitExpression(v) || ts.isParenthesizedExpression(v))) v = v.expression;
      if (v !== undefined && (ts.isNewExpression(v) || (ts.isCallExpression(v) && ts.isIdentifier(v.expression) && own.has(v.expression.text)))) names.add(name);
    };
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) give(node.name.text, node.initializer);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) give(node.left.text, node.right);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

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

/**
 * Names the file declares only as `new X(…)` of a class it shows is not tfjs's — declared in the file
 * without `extends`, or imported from a package other than tfjs (`new SimpleLinearRegression(…)` of
 * 'ml-regression') — so that a name like `baselineModel` does not make them a model (a user trial's
 * `baselineModel.fit([[1, 2]], [3])` got the schedule, and the tfjs model's fit nothing). A class of
 * the file's own modules, or one that extends another, may be a model: the name decides, as before.
 */
function madeByOtherClasses(source: ts.SourceFile, namespaces: ReadonlySet<string>): Set<string> {
  const otherClasses = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isClassDeclaration(statement) && statement.name !== undefined && (statement.heritageClauses ?? []).every((h) => h.token !== ts.SyntaxKind.ExtendsKeyword)) otherClasses.add(statement.name.text);
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && !TFJS_MODULE.test(statement.moduleSpecifier.text) && !statement.moduleSpecifier.text.startsWith('.') && statement.importClause !== undefined) {
      const { name, namedBindings } = statement.importClause;
      if (name !== undefined) otherClasses.add(name.text);
      if (namedBindings !== undefined && ts.isNamedImports(namedBindings)) for (const e of namedBindings.elements) otherClasses.add(e.name.text);
    }
  }
  const made = new Map<string, boolean>(); // name → every value it is given is such a `new`
  const visit = (node: ts.Node): void => {
    const give = (name: string, value: ts.Expression | undefined): void => {
      let v = value;
      while (v !== undefined && (ts.isAwaitExpression(v) || ts.isParenthesizedExpression(v))) v = v.expression;
      const other = v !== undefined && ts.isNewExpression(v) && ts.isIdentifier(v.expression) && otherClasses.has(v.expression.text) && !namespaces.has(v.expression.text);
      made.set(name, (made.get(name) ?? true) && other);
    };
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined) give(node.name.text, node.initializer);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) give(node.left.text, node.right);
    if (ts.isParameter(node) && ts.isIdentifier(node.name)) made.set(node.name.text, false);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return new Set([...made].filter(([, other]) => other).map(([name]) => name));
}

export function scan(fileName: string, text: string): ScanResult {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  let createModel: Position | null = null;
  let loadData: Position | null = null;
  const modelBuilders: Position[] = [];
  const compileCalls: { readonly at: Position; readonly receiver: string; readonly cast: boolean; readonly optimizer: OptimizerFamily | null; readonly opaque: string | null; readonly node: ts.CallExpression }[] = [];
  const fitCalls: { readonly fit: FitCall; readonly cast: boolean; readonly castOther: boolean }[] = [];
  const modelNames = new Set<string>();
  let singleQuotes = 0;
  let doubleQuotes = 0;
  // Statements ended by a semicolon, and not: a file written without them (standard style) gets blocks without them.
  let withSemicolon = 0;
  let withoutSemicolon = 0;
  const tfjs = tfjsBindings(source);
  const remember = (node: ts.Node): void => {
    // `const model = tf.sequential()`, `this.net = tf.sequential()`, `#model = tf.sequential()`: remember the name.
    let parent: ts.Node = node.parent;
    while (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) parent = parent.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) modelNames.add(parent.name.text);
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const name = receiverName(parent.left);
      if (name !== null) modelNames.add(name);
    }
    if (ts.isPropertyDeclaration(parent) && (ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name))) modelNames.add(`this.${parent.name.text}`);
  };

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
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node) || ts.isImportDeclaration(node) || ts.isThrowStatement(node)) {
      if (node.getText(source).endsWith(';')) withSemicolon++;
      else withoutSemicolon++;
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
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && tfjs.builders.has(node.expression.text)) {
      modelBuilders.push(position(source, node.getStart(source)));
      remember(node);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const text = node.expression.expression.getText(source);
      if (BUILDERS.has(name) && tfjs.namespaces.has(text)) {
        modelBuilders.push(position(source, node.getStart(source)));
        remember(node);
      }
      const receiver = receiverName(node.expression.expression) ?? text.replace(/\s+/g, '');
      const cast = castToModel(node.expression.expression);
      if (name === 'compile') {
        const compiled = compiledOptimizer(node);
        compileCalls.push({ at: position(source, node.getStart(source)), receiver, cast, optimizer: compiled.family, opaque: compiled.opaque, node });
      }
      if (name === 'fit' || name === 'fitDataset') {
        const fit = fitCall(source, node, name, receiver);
        if (fit !== null) fitCalls.push({ fit, cast, castOther: !cast && castToOther(node.expression.expression) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const localBuilders = modelsFromLocalBuilders(source, tfjs, modelNames);
  const notModels = madeByOtherClasses(source, tfjs.namespaces);

  const quote = doubleQuotes > singleQuotes ? '"' : "'";
  const semicolons = withoutSemicolon <= withSemicolon;
  const named = (receiver: string): boolean => modelNames.has(receiver) || (!notModels.has(receiver) && (/(^|\.)#?(model|\w*Model)$/.test(receiver) || /(^|\.)#?(models|\w*Models)\[\w+\]$/.test(receiver)));
  // A training script whose fits no name shows to be a model's (`network.fit` in a helper, `net` from an
  // imported builder, `this.net`): the engine runs it all the same (core runsAsTrainingScript), so its
  // fits are the model's unless a class of the file's own makes the receiver. Those scripts had no
  // "Find learning rate" lens, or a "Set up for LR Lab" one that wrote a template beside a working script.
  // Not where the file shows another origin: a cast to some type, a `new` of any class, or a function of
  // the file's own (those that build a tfjs model made it a model above); and only in a file that uses tfjs.
  const unnamed = tfjs.module !== null && !fitCalls.some((f) => f.cast || named(f.fit.receiver)) && looksLikeTrainingScript(text);
  const elsewhere = unnamed ? madeElsewhere(source) : new Set<string>();
  const looksLikeModel = (receiver: string): boolean => named(receiver) || (unnamed && !notModels.has(receiver) && !elsewhere.has(receiver) && fitCalls.some((f) => f.fit.receiver === receiver && !f.castOther));
  return {
    createModel,
    loadData,
    modelBuilders,
    localBuilders,
    compileCalls: compileCalls.filter((c) => c.cast || looksLikeModel(c.receiver)).map((c) => ({ ...c.at, receiver: c.receiver, optimizer: c.optimizer, opaque: c.opaque, node: c.node })),
    fitCalls: fitCalls.filter((f) => f.cast || looksLikeModel(f.fit.receiver)).map((f) => f.fit),
    quote,
    semicolons,
    callbackArgsType: tfjs.typeNamespace !== null ? `${tfjs.typeNamespace}.CustomCallbackArgs` : tfjs.module === null ? null : `import(${quote}${tfjs.module}${quote}).CustomCallbackArgs`,
    source,
  };
}

/**
 * Where the lines that are exactly `marker` start (a `//` comment on a line of its own, indentation
 * allowed): LR Lab's block markers. Text that only reads like one — in a string, a template
 * literal, a block comment or after code on the line — is not a marker.
 */
export function markerLines(source: ts.SourceFile, marker: string): number[] {
  const text = source.text;
  const found: number[] = [];
  const escaped = marker.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (const m of text.matchAll(new RegExp(`^[ \\t]*${escaped}[ \\t]*\\r?$`, 'gm'))) {
    const at = m.index + m[0].indexOf(marker);
    if (isLineComment(source, at)) found.push(at);
  }
  return found;
}

/**
 * Offsets of `marker` in `//` comments whose line holds other text too (`// </lrlab:schedule> (do not
 * edit)`): not markers (`markerLines`), but what a user who edited one sees as one.
 */
export function looseMarkerLines(source: ts.SourceFile, marker: string): number[] {
  const exact = new Set(markerLines(source, marker));
  const found: number[] = [];
  for (let at = source.text.indexOf(marker); at >= 0; at = source.text.indexOf(marker, at + marker.length)) {
    if (!exact.has(at) && isLineComment(source, at)) found.push(at);
  }
  return found;
}

/** Whether a `//` comment starts at `at`: it lies in the trivia before a token, not inside one. */
function isLineComment(source: ts.SourceFile, at: number): boolean {
  let node: ts.Node = source;
  for (;;) {
    const child = node.getChildren(source).find((c) => c.pos <= at && at < c.end);
    if (child === undefined) return false;
    if (at >= child.getStart(source)) {
      node = child;
      continue;
    }
    // In the trivia before `child`: one of its comments, read from where the trivia starts.
    return (ts.getLeadingCommentRanges(source.text, child.pos) ?? []).some((c) => c.pos === at && c.kind === ts.SyntaxKind.SingleLineCommentTrivia);
  }
}

/**
 * The start of the comments directly above a statement (no blank line between), so that a block
 * inserted before the statement does not part it from its comment; never above an LR Lab marker.
 */
function commentsAbove(source: ts.SourceFile, statement: ts.Node, start: number): number {
  const comments = ts.getLeadingCommentRanges(source.text, statement.getFullStart()) ?? [];
  let anchor = start;
  for (const comment of [...comments].reverse()) {
    const text = source.text.slice(comment.pos, comment.end);
    if (!/^[ \t]*\r?\n?[ \t]*$/.test(source.text.slice(comment.end, anchor)) || /<\/?lrlab:/.test(text)) break;
    anchor = comment.pos;
  }
  return anchor;
}

function fitCall(source: ts.SourceFile, call: ts.CallExpression, method: 'fit' | 'fitDataset', receiver: string): FitCall | null {
  let statement: ts.Node = call;
  while (statement.parent !== undefined && !ts.isSourceFile(statement.parent) && !ts.isBlock(statement.parent) && !ts.isModuleBlock(statement.parent)) statement = statement.parent;
  if (!ts.isStatement(statement)) return null;
  const statementStartOffset = statement.getStart(source);
  // The block goes above the statement of the function body (or file) that holds the fit: a function
  // declared in an if/try/loop block is an error in ES5 strict code (TS1252: a user's create-react-app
  // style project) and only block-scoped from ES2015.
  let placed: ts.Node = statement;
  while (ts.isBlock(placed.parent) && !ts.isFunctionLike(placed.parent.parent) && !ts.isClassStaticBlockDeclaration(placed.parent.parent)) {
    let up: ts.Node = placed.parent.parent;
    while (!ts.isSourceFile(up.parent) && !ts.isBlock(up.parent) && !ts.isModuleBlock(up.parent)) up = up.parent;
    placed = up;
  }
  const anchor = commentsAbove(source, placed, placed.getStart(source));
  const lineStart = source.text.lastIndexOf('\n', anchor - 1) + 1;
  const before = source.text.slice(lineStart, anchor);
  const sharesLine = !/^[ \t]*$/.test(before);
  return {
    statementStart: position(source, statementStartOffset),
    statementStartOffset: sharesLine ? anchor : lineStart,
    sharesLine,
    indent: /^[ \t]*/.exec(before)?.[0] ?? '',
    method,
    receiver,
    line: position(source, call.getStart(source)).line,
    nameLine: position(source, ts.isPropertyAccessExpression(call.expression) ? call.expression.name.getStart(source) : call.getStart(source)).line,
    node: call,
  };
}
