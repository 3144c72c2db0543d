/**
 * The only values generated code embeds, checked first. A schedule or weight decay reaches the
 * server from the run history, which a cloned repository can carry (`.lrlab/runs`), so every field
 * is untrusted input here, whatever its declared type says:
 *
 * - numbers must be finite numbers in range — a string (`"1e999"`), `null` (JSON's Infinity/NaN)
 *   or an out-of-range value is refused with a one-line reason the lens shows, and no code is made;
 * - each number is embedded as the literal the lens shows (`formatLr` for LRs), re-checked against
 *   a number-literal pattern, so the code means exactly what the user was offered;
 * - the run id and date go into a comment only reduced to `[A-Za-z0-9_-]` and `YYYY-MM-DD`: no
 *   newline, comment end, quote, backslash or U+2028/U+2029 from a run file reaches the user's file.
 */
import { formatLr } from '../protocol/format';
import { formatWeightDecay } from '../core/decisions';
import type { WeightDecayForm } from '../protocol/serverMessages';

import { MAX_INSERTED_LR } from '../protocol/options';

/** A checked value, or why it was refused (one line, for the lens). */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** A 1cycle schedule's values as they will appear in code and in the lens title. */
export interface CheckedSchedule {
  /** Number literals, each a finite number in range (`0.3`, `3e-5`). */
  readonly maxLr: string;
  readonly minLr: string;
  readonly maxMomentum: string;
  readonly minMomentum: string;
  /** `run 0123abcd on 2026-11-28` — only safe characters. */
  readonly origin: string;
}

export interface CheckedWeightDecay {
  readonly weightDecay: string;
  readonly form: WeightDecayForm;
  /** `sweep run 0123abcd on 2026-11-29` — only safe characters. */
  readonly origin: string;
}

const NUMBER_LITERAL = /^(?:0|[1-9]\d*)(?:\.\d+)?(?:e-?\d+)?$/;
const WEIGHT_DECAY_SOURCES = new Set(['sweep', 'weight-decay', 'recipe']);

/** What a value that should have been a number is, in words (never the value itself). */
function describe(x: unknown): string {
  if (x === null) return 'null (not a finite number)';
  if (typeof x === 'number') return Number.isNaN(x) ? 'NaN' : String(x);
  if (typeof x === 'string') return 'a string, not a number';
  return `${Array.isArray(x) ? 'an array' : typeof x}, not a number`;
}

/** The literal for `x` made by `format`, when `x` is a finite number whose literal lies in `inRange`. */
function literal(name: string, x: unknown, format: (n: number) => string, inRange: (n: number) => boolean, range: string): Checked<string> {
  if (typeof x !== 'number' || !Number.isFinite(x)) return { ok: false, reason: `its ${name} is ${describe(x)}` };
  const text = format(x);
  if (!NUMBER_LITERAL.test(text) || !inRange(Number(text))) return { ok: false, reason: `its ${name} ${text} is outside ${range}` };
  return { ok: true, value: text };
}

/** At most 8 characters of the run id, letters, digits, `_` and `-` only. */
export function safeRunId(runId: unknown): string {
  const kept = typeof runId === 'string' ? runId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 8) : '';
  return kept === '' ? 'unknown' : kept;
}

/** The date when it is exactly `YYYY-MM-DD`, else null. */
export function safeDate(date: unknown): string | null {
  return typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null;
}

function origin(runId: unknown, date: unknown): string {
  const day = safeDate(date);
  return `run ${safeRunId(runId)}${day === null ? '' : ` on ${day}`}`;
}

/** The fields of what should be an object of values; none (each then refused as missing) when it is not one. */
function fields<T extends object>(given: T): { readonly [K in keyof T]?: unknown } {
  return typeof given === 'object' && (given as T | null) !== null ? given : {};
}

/** Momentum as a literal: 4 significant digits, so 0.95 stays `0.95` and 0.9999 does not become 1. */
export function momentumLiteral(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** Checks a file's schedule for "Insert 1cycle schedule". */
export function checkSchedule(given: { readonly maxLr: unknown; readonly minLr: unknown; readonly maxMomentum: unknown; readonly minMomentum: unknown; readonly runId: unknown; readonly date: unknown }): Checked<CheckedSchedule> {
  const values = fields(given);
  const refuse = (reason: string): Checked<CheckedSchedule> => ({ ok: false, reason: `${origin(values.runId, values.date)}: ${reason}` });
  const lrRange = `(0, ${MAX_INSERTED_LR}]`;
  const maxLr = literal('maxLr', values.maxLr, formatLr, (v) => v > 0 && v <= MAX_INSERTED_LR, lrRange);
  if (!maxLr.ok) return refuse(maxLr.reason);
  const minLr = literal('minLr', values.minLr, formatLr, (v) => v > 0 && v <= MAX_INSERTED_LR, lrRange);
  if (!minLr.ok) return refuse(minLr.reason);
  if (Number(minLr.value) > Number(maxLr.value)) return refuse(`its minLr ${minLr.value} exceeds its maxLr ${maxLr.value}`);
  const maxMomentum = literal('maxMomentum', values.maxMomentum, momentumLiteral, (v) => v >= 0 && v < 1, '[0, 1)');
  if (!maxMomentum.ok) return refuse(maxMomentum.reason);
  const minMomentum = literal('minMomentum', values.minMomentum, momentumLiteral, (v) => v >= 0 && v < 1, '[0, 1)');
  if (!minMomentum.ok) return refuse(minMomentum.reason);
  if (Number(minMomentum.value) > Number(maxMomentum.value)) return refuse(`its minMomentum ${minMomentum.value} exceeds its maxMomentum ${maxMomentum.value}`);
  return { ok: true, value: { maxLr: maxLr.value, minLr: minLr.value, maxMomentum: maxMomentum.value, minMomentum: minMomentum.value, origin: origin(values.runId, values.date) } };
}

/** Checks a file's weight decay for "Insert weight decay". */
export function checkWeightDecay(given: { readonly weightDecay: unknown; readonly form: unknown; readonly source: unknown; readonly runId: unknown; readonly date: unknown }): Checked<CheckedWeightDecay> {
  const values = fields(given);
  const where = `${typeof values.source === 'string' && WEIGHT_DECAY_SOURCES.has(values.source) ? `${values.source} ` : ''}${origin(values.runId, values.date)}`;
  const weightDecay = literal('weight decay', values.weightDecay, formatWeightDecay, (v) => v > 0 && v < 1, '(0, 1)');
  if (!weightDecay.ok) return { ok: false, reason: `${where}: ${weightDecay.reason}` };
  if (values.form !== 'l2' && values.form !== 'decoupled') return { ok: false, reason: `${where}: its form is not 'l2' or 'decoupled'` };
  return { ok: true, value: { weightDecay: weightDecay.value, form: values.form, origin: where } };
}
