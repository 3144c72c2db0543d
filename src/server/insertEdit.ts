/**
 * The text changes of "Insert 1cycle schedule": the marked block before the `fit` statement (or
 * in place of an existing block — re-inserting replaces, never duplicates) and the callback in
 * `fit`'s `callbacks` (created when absent, appended to an array literal). The user's other code
 * is untouched; a `callbacks` value that is not an array literal is left alone with a message,
 * since tfjs does not accept nested arrays and we will not guess its shape.
 */
import { CALLBACK_FACTORY, scheduleBlock } from './scheduleCode';
import type { ScheduleValues } from './scheduleCode';
import { scan } from './scanner';

export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type InsertOutcome = { readonly changes: TextChange[] } | { readonly error: string };

export function insertScheduleChanges(fileName: string, text: string, values: ScheduleValues): InsertOutcome {
  const result = scan(fileName, text);
  const fit = result.fitCalls[0];
  if (fit === undefined) return { error: 'No model.fit(...) or model.fitDataset(...) call in this file to attach the schedule to.' };
  const typescript = /\.(m|c)?tsx?$/i.test(fileName);
  const changes: TextChange[] = [];
  const call = `${CALLBACK_FACTORY}()`;

  if (result.existingBlock !== null) {
    const lineStart = text.lastIndexOf('\n', result.existingBlock.start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, result.existingBlock.start))?.[0] ?? '';
    changes.push({ start: lineStart, end: result.existingBlock.end, text: scheduleBlock(values, { typescript, indent, quote: result.quote }) });
  } else {
    changes.push({ start: fit.statementStartOffset, end: fit.statementStartOffset, text: `${scheduleBlock(values, { typescript, indent: fit.indent, quote: result.quote })}\n` });
  }

  if (fit.callbacks !== null) {
    if (fit.callbacks.text.includes(call)) {
      // already attached
    } else if (!fit.callbacks.isArrayLiteral) {
      return { error: `The callbacks option of ${fit.receiver}.${fit.method} is not an array literal; add ${call} to it yourself (the schedule function was not inserted).` };
    } else if (fit.callbacks.empty) {
      changes.push({ start: fit.callbacks.start + 1, end: fit.callbacks.end - 1, text: call });
    } else {
      changes.push({ start: fit.callbacks.elementsEnd, end: fit.callbacks.elementsEnd, text: `, ${call}` });
    }
  } else if (fit.options !== null) {
    const inner = fit.options.start + 1;
    changes.push({ start: inner, end: inner, text: fit.options.hasProperties ? ` callbacks: [${call}],` : ` callbacks: [${call}] ` });
  } else {
    changes.push({ start: fit.argumentsEnd, end: fit.argumentsEnd, text: `${fit.method === 'fit' && countArgs(text, fit) < 2 ? ', undefined' : ''}, { callbacks: [${call}] }` });
  }
  return { changes: changes.sort((a, b) => b.start - a.start) };
}

/** fit(x, y, options): when only x is given, y must be filled before options. */
function countArgs(text: string, fit: { argumentsEnd: number }): number {
  const open = text.lastIndexOf('(', fit.argumentsEnd);
  return text.slice(open + 1, fit.argumentsEnd).split(',').filter((p) => p.trim() !== '').length;
}

/** Applies changes (sorted from the end) to the text: what the editor will show. */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.start - a.start)) out = out.slice(0, c.start) + c.text + out.slice(c.end);
  return out;
}
