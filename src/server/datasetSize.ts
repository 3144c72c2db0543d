/**
 * Whether a `fitDataset` call will tell its callbacks how many batches an epoch has. The 1cycle
 * schedule counts its steps from that (`params.steps`: the call's `batchesPerEpoch`, else the
 * dataset's `size` when it is finite) and stops the fit at train start without it. tfjs knows no
 * size for a dataset made by `tf.data.generator`, `csv`, `func`, `webcam` or `microphone`, nor after
 * a `filter` or a `repeat()` without a count, nor for a `zip` or `concatenate` with such a dataset in it (a `take(n)` after that `repeat()` gives it size n again); such a call needs `batchesPerEpoch`, and inserting the
 * schedule there is refused up front, naming both lines. Read from the file: the dataset argument
 * through `const` variables to the call that made it. When LR Lab cannot tell (a parameter, a
 * function's result), nothing is refused, but the insertion says what to check (`untracedDataset`);
 * options it cannot read are taken as setting it.
 */
import ts from 'typescript';
import { declarationOf } from './fitCallbacks';

/** Where a dataset's size is lost: the call, shown as written (callee only), and its 1-based line. */
export interface UnsizedDataset {
  readonly made: string;
  readonly line: number;
}

/** Sources whose datasets have no size (tfjs-data 4.x `datasetFromIteratorFn` without one). */
const UNSIZED_SOURCES = /(?:^|\.)data\.(?:generator|csv|func|webcam|microphone)$/;
/** Variables followed from the argument to the call that made the dataset. */
const MAX_HOPS = 4;

function unwrap(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAwaitExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x) || ts.isSatisfiesExpression(x)) x = x.expression;
  return x;
}

/** The initializer of the `const` an identifier names, or null. */
function constValue(id: ts.Identifier): ts.Expression | null {
  const declaration = declarationOf(id.text, id);
  if (declaration === null || declaration === 'other' || ts.isParameter(declaration) || declaration.initializer === undefined) return null;
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0 ? declaration.initializer : null;
}

/** Whether the options (`fitDataset`'s second argument) set `batchesPerEpoch`; null when LR Lab cannot read them. */
function setsBatchesPerEpoch(options: ts.Expression | undefined, hops = 0): boolean | null {
  if (options === undefined) return false;
  const e = unwrap(options);
  if (ts.isIdentifier(e)) {
    const value = hops < MAX_HOPS ? constValue(e) : null;
    return value === null ? null : setsBatchesPerEpoch(value, hops + 1);
  }
  if (!ts.isObjectLiteralExpression(e)) return null;
  let readable = true;
  for (const p of e.properties) {
    if (ts.isSpreadAssignment(p) || p.name === undefined || ts.isComputedPropertyName(p.name)) readable = false;
    else if ((ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === 'batchesPerEpoch') return true;
  }
  return readable ? false : null;
}

/** The call that made `dataset` size-less, following its method chain and `const`s; null when sized or unknown. */
function unsizedOrigin(dataset: ts.Expression, source: ts.SourceFile, hops = 0): ts.CallExpression | null {
  const e = unwrap(dataset);
  if (ts.isIdentifier(e)) {
    const value = hops < MAX_HOPS ? constValue(e) : null;
    return value === null ? null : unsizedOrigin(value, source, hops + 1);
  }
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return null;
  const callee = e.expression.getText(source).replace(/\s+/g, '');
  const method = e.expression.name.text;
  if (UNSIZED_SOURCES.test(callee) || method === 'filter') return e;
  const count = e.arguments[0];
  if (method === 'repeat' && (count === undefined || ts.isPrefixUnaryExpression(count))) return e;
  if (/(?:^|\.)data\.zip$/.test(callee)) {
    const members = count === undefined ? [] : ts.isObjectLiteralExpression(count) ? count.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : ts.isShorthandPropertyAssignment(p) ? [p.name] : [])) : ts.isArrayLiteralExpression(count) ? [...count.elements] : [];
    for (const m of members) {
      const found = unsizedOrigin(m, source, hops);
      if (found !== null) return found;
    }
    return null;
  }
  if (/(?:^|\.)data\.\w+$/.test(callee)) return null;
  if (method === 'take' && count !== undefined) {
    // take(n) of an endless repeat() has size n (tfjs: Infinity > n); of a dataset with no size, still none.
    const inner = unsizedOrigin(e.expression.expression, source, hops);
    if (inner === null || !isEndlessRepeat(inner)) return inner;
    return unsizedOrigin((inner.expression as ts.PropertyAccessExpression).expression, source, hops);
  }
  // concatenate: the sum of both sizes, none when either has none (tfjs-data's Dataset.concatenate).
  if (method === 'concatenate' && count !== undefined) {
    const appended = unsizedOrigin(count, source, hops);
    if (appended !== null) return appended;
  }
  // A dataset method (batch, map, shuffle, take, …): the size is the receiver's.
  return unsizedOrigin(e.expression.expression, source, hops);
}

/** Whether an unsized origin is a `repeat()` (endless: size Infinity) rather than a source or filter that has no size at all. */
function isEndlessRepeat(origin: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(origin.expression) && origin.expression.name.text === 'repeat';
}

/**
 * For a `fitDataset` call without `batchesPerEpoch` whose dataset LR Lab cannot follow to the call that
 * made it (a parameter, an import, a function's result): what it lost track at, in words; else null.
 * The schedule may then stop the fit at its start: a user's `fitDataset(makeDataset(), { epochs: 2 })`
 * over `tf.data.csv` got the schedule with nothing said, and the edited script that had trained died.
 */
export function untracedDataset(fit: ts.CallExpression, source: ts.SourceFile): string | null {
  const [dataset, options] = fit.arguments;
  if (dataset === undefined || setsBatchesPerEpoch(options) !== false) return null;
  return lostAt(dataset, source);
}

/** Where following a dataset to the `tf.data` call that made it stops, in words; null where it gets there. */
function lostAt(dataset: ts.Expression, source: ts.SourceFile, hops = 0): string | null {
  const e = unwrap(dataset);
  if (ts.isIdentifier(e)) {
    const value = hops < MAX_HOPS ? constValue(e) : null;
    return value === null ? `\`${e.text}\`` : lostAt(value, source, hops + 1);
  }
  if (!ts.isCallExpression(e)) return `\`${e.getText(source).replace(/\s+/g, ' ').slice(0, 40)}\``;
  if (!ts.isPropertyAccessExpression(e.expression)) return `the result of \`${e.expression.getText(source).replace(/\s+/g, '').slice(0, 40)}(…)\``;
  const callee = e.expression.getText(source).replace(/\s+/g, '');
  if (/(?:^|\.)data\.\w+$/.test(callee)) return null;
  const method = e.expression.name.text;
  if (!DATASET_METHODS.has(method)) return `the result of \`${callee.slice(0, 40)}(…)\``;
  const count = e.arguments[0];
  if (method === 'concatenate' && count !== undefined) return lostAt(e.expression.expression, source, hops) ?? lostAt(count, source, hops);
  return lostAt(e.expression.expression, source, hops);
}

/** tfjs-data's Dataset methods that give a dataset: followed to their receiver. */
const DATASET_METHODS = new Set(['batch', 'concatenate', 'filter', 'map', 'mapAsync', 'prefetch', 'repeat', 'shuffle', 'skip', 'take']);

/** For a `fitDataset` call without `batchesPerEpoch` on a dataset tfjs knows no size of: where the size was lost. */
export function unsizedDataset(fit: ts.CallExpression, source: ts.SourceFile): UnsizedDataset | null {
  const [dataset, options] = fit.arguments;
  if (dataset === undefined || setsBatchesPerEpoch(options) !== false) return null;
  const origin = unsizedOrigin(dataset, source);
  if (origin === null) return null;
  const callee = origin.expression as ts.PropertyAccessExpression;
  const made = UNSIZED_SOURCES.test(callee.getText(source).replace(/\s+/g, '')) ? callee.getText(source).replace(/\s+/g, '') : `.${callee.name.text}`;
  return { made: `${made}(…)`, line: source.getLineAndCharacterOfPosition(callee.name.getStart(source)).line + 1 };
}
