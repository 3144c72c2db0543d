/**
 * Whether a fit call's callbacks already drive the LR: LR Lab's own library schedules (`oneCycle`,
 * `cyclicLr`, `scheduleCallback`) or a callback of the file's that sets the optimizer's learning rate
 * (`setLearningRate`, an assignment to `learningRate`). The inserted schedule sets the LR before every
 * batch and, last in the array, wins: a user's `callbacks: [oneCycle({ maxLr: 0.05 }), decay]` got the
 * schedule appended with nothing said, and trained at 0.287 instead of their 0.05.
 * Read from the file: the options object literal (or the `const` holding it), its `callbacks` array
 * (or one callback), each element as written or through the `const` that holds it.
 */
import ts from 'typescript';
import { declarationOf, unwrap } from './fitCallbacks';

/** LR Lab's library factories whose callbacks set the LR every batch. */
const LIBRARY_SCHEDULES = new Set(['oneCycle', 'cyclicLr', 'scheduleCallback']);
/** Code that sets an optimizer's LR. */
const SETS_LR = /\bsetLearningRate\s*\(|\.learningRate\s*=[^=]/;
/** Variables followed to their initializer. */
const MAX_HOPS = 3;

/** The initializer of the variable an identifier names (any `const`/`let` declared with one), or null. */
function valueOf(id: ts.Identifier): ts.Expression | null {
  const declaration = declarationOf(id.text, id);
  if (declaration === null || declaration === 'other' || ts.isParameter(declaration)) return null;
  return declaration.initializer ?? null;
}

/** The callee's own name of a call (`oneCycle` of `oneCycle(…)` and of `lrlab.oneCycle(…)`), or null. */
function calleeName(call: ts.CallExpression): string | null {
  const callee = unwrap(call.expression);
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
}

/** How one callbacks element drives the LR: LR Lab's library factory it calls, or `sets` (code that sets the LR); else null. */
function drivesLr(element: ts.Expression, source: ts.SourceFile, own: string, hops = 0): { readonly library: string } | 'sets' | null {
  const e = unwrap(element);
  if (ts.isIdentifier(e)) {
    const value = hops < MAX_HOPS ? valueOf(e) : null;
    return value === null ? null : drivesLr(value, source, own, hops + 1);
  }
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    if (name === own) return null;
    if (name !== null && LIBRARY_SCHEDULES.has(name)) return { library: name };
  }
  if (ts.isObjectLiteralExpression(e) || ts.isCallExpression(e) || ts.isNewExpression(e)) return SETS_LR.test(e.getText(source)) ? 'sets' : null;
  return null;
}

/** One callbacks element that drives the LR, in words: "`decay`, which sets the learning rate", "`oneCycle(…)` (LR Lab's library)". */
function described(element: ts.Expression, source: ts.SourceFile, own: string): string | null {
  const how = drivesLr(element, source, own);
  if (how === null) return null;
  const e = unwrap(element);
  const shown = ts.isIdentifier(e) ? `\`${e.text}\`` : ts.isCallExpression(e) ? `\`${calleeName(e) ?? 'a call'}(…)\`` : 'an inline callback';
  return how === 'sets' ? `${shown}, which sets the learning rate` : `${shown} (LR Lab's library ${how.library})`;
}

/** The options object of a fit call (its last argument: fit's third, fitDataset's second), through a variable, or null. */
function optionsOf(fit: ts.CallExpression, method: 'fit' | 'fitDataset'): ts.ObjectLiteralExpression | null {
  let options = fit.arguments[method === 'fit' ? 2 : 1];
  for (let hops = 0; options !== undefined && hops <= MAX_HOPS; hops++) {
    const e = unwrap(options);
    if (ts.isObjectLiteralExpression(e)) return e;
    if (!ts.isIdentifier(e)) return null;
    options = valueOf(e) ?? undefined;
  }
  return null;
}

/** A callbacks value's elements: an array's (a spread of a variable holding an array: its elements too), else the one callback. */
function elementsOf(value: ts.Expression, hops = 0): ts.Expression[] {
  const array = unwrap(value);
  if (!ts.isArrayLiteralExpression(array)) return [array];
  return array.elements.flatMap((x) => {
    if (ts.isOmittedExpression(x)) return [];
    if (!ts.isSpreadElement(x)) return [x];
    const spread = unwrap(x.expression);
    const held = ts.isIdentifier(spread) && hops < MAX_HOPS ? valueOf(spread) : null;
    return held !== null && ts.isArrayLiteralExpression(unwrap(held)) ? elementsOf(held, hops + 1) : [];
  });
}

/**
 * The callbacks of `fit` that already drive the LR, in words (one line), or null. `own`: the factory
 * of the block being inserted (`lrlabOneCycle`), whose call is not another schedule.
 */
export function otherLrSchedules(fit: ts.CallExpression, method: 'fit' | 'fitDataset', source: ts.SourceFile, own: string): string | null {
  const options = optionsOf(fit, method);
  const property = options?.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && ts.isIdentifier(p.name) && p.name.text === 'callbacks');
  if (property === undefined) return null;
  let value: ts.Expression = ts.isPropertyAssignment(property) ? property.initializer : (property as ts.ShorthandPropertyAssignment).name;
  for (let hops = 0; ts.isIdentifier(unwrap(value)) && hops < MAX_HOPS; hops++) {
    const next = valueOf(unwrap(value) as ts.Identifier);
    if (next === null || !ts.isArrayLiteralExpression(unwrap(next))) break;
    value = next;
  }
  const found = elementsOf(value).map((x) => described(x, source, own)).filter((x): x is string => x !== null);
  return found.length === 0 ? null : found.join(' and ');
}
