/**
 * The text changes of "Insert 1cycle schedule" and "Insert weight decay": each is a marked block
 * defining a callback factory, put before the `fit` statement (or in place of its existing block —
 * re-inserting replaces, never duplicates), and a call of the factory in `fit`'s `callbacks`
 * (created when absent, appended to an array literal, left alone when already there). The two
 * blocks have their own markers and factories, so they coexist in one file and one `callbacks`
 * array. The user's other code is untouched; a `callbacks` value that is not an array literal is
 * left alone with a message, since tfjs does not accept nested arrays and we will not guess its
 * shape. The blocks are indented like the file: its base indentation at the `fit` statement and
 * its indentation step (tabs, two or four spaces) inside.
 */
import { BLOCK_END, BLOCK_START, CALLBACK_FACTORY, scheduleBlock } from './scheduleCode';
import type { ScheduleValues } from './scheduleCode';
import { WD_BLOCK_END, WD_BLOCK_START, WD_CALLBACK_FACTORY, weightDecayBlock } from './weightDecayCode';
import type { WeightDecayValues } from './weightDecayCode';
import { findMarkedBlock, scan } from './scanner';

export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type InsertOutcome = { readonly changes: TextChange[] } | { readonly error: string };

interface BlockStyle {
  readonly typescript: boolean;
  readonly indent: string;
  readonly quote: "'" | '"';
}

/** One kind of marked callback block: its markers, its factory's name, and its code. */
interface CallbackBlock {
  readonly start: string;
  readonly end: string;
  readonly factory: string;
  /** For messages: "the schedule", "the weight decay". */
  readonly what: string;
  readonly render: (style: BlockStyle) => string;
}

export function insertScheduleChanges(fileName: string, text: string, values: ScheduleValues): InsertOutcome {
  return insertCallbackBlock(fileName, text, { start: BLOCK_START, end: BLOCK_END, factory: CALLBACK_FACTORY, what: 'the schedule', render: (style) => scheduleBlock(values, style) });
}

export function insertWeightDecayChanges(fileName: string, text: string, values: WeightDecayValues): InsertOutcome {
  return insertCallbackBlock(fileName, text, { start: WD_BLOCK_START, end: WD_BLOCK_END, factory: WD_CALLBACK_FACTORY, what: 'the weight decay', render: (style) => weightDecayBlock(values, style) });
}

function insertCallbackBlock(fileName: string, text: string, block: CallbackBlock): InsertOutcome {
  const result = scan(fileName, text);
  const fit = result.fitCalls[0];
  if (fit === undefined) return { error: `No model.fit(...) or model.fitDataset(...) call in this file to attach ${block.what} to.` };
  const typescript = /\.(m|c)?tsx?$/i.test(fileName);
  const changes: TextChange[] = [];
  const call = `${block.factory}()`;

  const unit = indentUnit(text);
  const render = (indent: string): string => reindent(block.render({ typescript, indent, quote: result.quote }), indent, unit);
  const existing = findMarkedBlock(text, block.start, block.end);
  if (existing !== null) {
    // Replace from the start of the marker's line, keeping the indentation the block has now.
    const lineStart = text.lastIndexOf('\n', existing.start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, existing.start))?.[0] ?? '';
    changes.push({ start: lineStart, end: existing.end, text: render(indent) });
  } else {
    changes.push({ start: fit.statementStartOffset, end: fit.statementStartOffset, text: `${render(fit.indent)}\n` });
  }

  if (fit.callbacks !== null) {
    if (fit.callbacks.text.includes(call)) {
      // already attached
    } else if (!fit.callbacks.isArrayLiteral) {
      return { error: `The callbacks option of ${fit.receiver}.${fit.method} is not an array literal; add ${call} to it yourself (${block.what} was not inserted).` };
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

/**
 * The file's indentation step: a tab when more lines start with one than with spaces, else the
 * smallest space indentation of a code line (JSDoc continuation lines, ` * `, do not count).
 */
function indentUnit(text: string): string {
  let tabs = 0;
  let spaced = 0;
  let smallest = Infinity;
  for (const line of text.split('\n')) {
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    const rest = line.slice(lead.length);
    if (lead === '' || rest === '' || rest.startsWith('*')) continue;
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
