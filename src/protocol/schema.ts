/**
 * A small typed schema for JSON that LR Lab did not write itself (a shared `.lrlab/runs` is
 * repository content; a webview's saved state comes back from a less trusted context). `parse`
 * returns a fresh copy built only from what the schema names — unknown keys are dropped, never
 * passed on — or throws a `SchemaError` naming the first field at fault and why.
 *
 * `Schema<T>` is invariant in `T`, and `object<T>()` wants exactly one schema per key of `T`
 * (`-?`): a schema table written against the types of `results.ts` stops compiling when a field
 * is added, removed, made optional or changes type there, so no field ever loads unchecked.
 */

export class SchemaError extends Error {
  constructor(readonly at: string, readonly reason: string) {
    super(`${at}: ${reason}`);
    this.name = 'SchemaError';
  }
}

export interface Schema<T> {
  /** A checked copy of `value`, or a `SchemaError`. `at` names the value in messages (`run.result.points[3].lr`). */
  readonly parse: (value: unknown, at: string) => T;
  /** The key may be absent (`optional`), or takes a value when absent (`defaulted`). */
  readonly absent: 'refuse' | 'omit' | { readonly value: T };
  /** Type only: makes `Schema` invariant (a `Schema<number>` is not a `Schema<number | null>`). */
  readonly variance?: (value: T) => T;
}

const schema = <T>(parse: (value: unknown, at: string) => T): Schema<T> => ({ parse, absent: 'refuse' });

/** What a value is, for messages: `the string "1e999"`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number' : 'the boolean'} ${String(value)}`;
  return `a ${typeof value}`;
}

export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly exclusiveMin?: number;
  readonly max?: number;
  readonly exclusiveMax?: number;
}

/** A finite number (JSON has no NaN/Inf), within the rule. Text that reads as a number is refused. */
export function number(rule: NumberRule = {}): Schema<number> {
  return schema((value, at) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new SchemaError(at, `must be a finite number, not ${describeValue(value)}`);
    if (rule.integer === true && !Number.isInteger(value)) throw new SchemaError(at, `must be a whole number, not ${value}`);
    if ((rule.min !== undefined && value < rule.min) || (rule.exclusiveMin !== undefined && value <= rule.exclusiveMin) || (rule.max !== undefined && value > rule.max) || (rule.exclusiveMax !== undefined && value >= rule.exclusiveMax)) {
      throw new SchemaError(at, `${value} is out of range`);
    }
    return value;
  });
}

export const boolean: Schema<boolean> = schema((value, at) => {
  if (typeof value !== 'boolean') throw new SchemaError(at, `must be true or false, not ${describeValue(value)}`);
  return value;
});

/** C0/C1 control characters, DEL, and the bidirectional overrides and isolates (text that reorders what follows it). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** Free text may break lines and tab; nothing else invisible. */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

export interface StringRule {
  /** Longest accepted, in UTF-16 units. */
  readonly max: number;
  /** The whole string must match (anchor it). */
  readonly pattern?: RegExp;
  /** `text` allows line breaks and tabs; `line` (default) allows no control character at all. */
  readonly kind?: 'line' | 'text';
}

export function string(rule: StringRule): Schema<string> {
  return schema((value, at) => {
    if (typeof value !== 'string') throw new SchemaError(at, `must be text, not ${describeValue(value)}`);
    if (value.length > rule.max) throw new SchemaError(at, `is ${value.length} characters long (at most ${rule.max})`);
    if ((rule.kind === 'text' ? CONTROL_IN_TEXT : CONTROL).test(value)) throw new SchemaError(at, 'holds control characters');
    if (rule.pattern !== undefined && !rule.pattern.test(value)) throw new SchemaError(at, `${describeValue(value)} is not of the expected form`);
    return value;
  });
}

/** One of the given literals (an enum of results.ts). */
export function oneOf<const C extends string | number | boolean>(choices: readonly C[]): Schema<C> {
  return schema((value, at) => {
    if (!(choices as readonly unknown[]).includes(value)) throw new SchemaError(at, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, not ${describeValue(value)}`);
    return value as C;
  });
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema((value, at) => (value === null ? null : inner.parse(value, at)));
}

/** A key that may be absent; `undefined` is never stored (exactOptionalPropertyTypes). */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return { parse: (value, at) => (value === undefined ? undefined : inner.parse(value, at)), absent: 'omit' };
}

/** A key that older files may lack: absent, it reads as `fallback` (a field added within a format version). */
export function defaulted<T>(inner: Schema<T>, fallback: T): Schema<T> {
  return { parse: inner.parse, absent: { value: fallback } };
}

export function array<T>(item: Schema<T>, rule: { readonly max?: number } = {}): Schema<readonly T[]> {
  return schema<readonly T[]>((value, at) => {
    if (!Array.isArray(value)) throw new SchemaError(at, `must be a list, not ${describeValue(value)}`);
    if (rule.max !== undefined && value.length > rule.max) throw new SchemaError(at, `has ${value.length} items (at most ${rule.max})`);
    return value.map((v, i) => item.parse(v, `${at}[${i}]`));
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Exactly one schema per key of `T`, optional keys through `optional(...)`. */
export type Fields<T> = { readonly [K in keyof T]-?: Schema<T[K]> };

export function object<T>(fields: Fields<T>): Schema<T> {
  return objectOf<T>(Object.entries(fields) as [string, Schema<unknown>][]);
}

/** `object`'s check from its key/schema pairs (`partial` passes each one made optional). */
function objectOf<T>(entries: readonly (readonly [string, Schema<unknown>])[]): Schema<T> {
  return schema((value, at) => {
    if (!isRecord(value)) throw new SchemaError(at, `must be an object, not ${describeValue(value)}`);
    const out: Record<string, unknown> = {};
    for (const [key, field] of entries) {
      const raw = Object.hasOwn(value, key) ? value[key] : undefined;
      if (raw === undefined) {
        if (field.absent === 'omit') continue;
        if (field.absent !== 'refuse') {
          out[key] = field.absent.value;
          continue;
        }
        throw new SchemaError(`${at}.${key}`, 'is missing');
      }
      out[key] = field.parse(raw, `${at}.${key}`);
    }
    return out as T;
  });
}

/** Every key optional (`Partial<T>`), each checked by its schema when present. */
export function partial<T>(fields: Fields<T>): Schema<Partial<T>> {
  const entries = Object.entries(fields) as [string, Schema<unknown>][];
  return objectOf<Partial<T>>(entries.map(([k, f]) => [k, optional(f)] as const));
}

/** A map with keys of a given form (or from a given set) and values of one schema. */
export function record<K extends string, V>(key: Schema<K>, item: Schema<V>, rule: { readonly max?: number } = {}): Schema<Readonly<Partial<Record<K, V>>>> {
  return schema((value, at) => {
    if (!isRecord(value)) throw new SchemaError(at, `must be an object, not ${describeValue(value)}`);
    const keys = Object.keys(value);
    if (rule.max !== undefined && keys.length > rule.max) throw new SchemaError(at, `has ${keys.length} entries (at most ${rule.max})`);
    const out: Partial<Record<K, V>> = {};
    for (const k of keys) {
      // JSON.parse makes "__proto__" an own key; assigned here it would set the copy's prototype
      // (a run file's `series` then answered `series['0']` from an injected array).
      if (k === '__proto__') throw new SchemaError(at, 'has a "__proto__" key');
      out[key.parse(k, `${at} key`)] = item.parse(value[k], `${at}[${JSON.stringify(k)}]`);
    }
    return out;
  });
}

/** A map from free keys of a given form to values of one schema (`series` of a run). */
export function dictionary<V>(key: Schema<string>, item: Schema<V>, rule: { readonly max?: number } = {}): Schema<Readonly<Record<string, V>>> {
  const inner = record(key, item, rule);
  return schema((value, at) => inner.parse(value, at) as Readonly<Record<string, V>>);
}

/** A further check across fields (an index within its list, min below max): the reason, or `null` when fine. */
export function refine<T>(inner: Schema<T>, check: (value: T) => string | null): Schema<T> {
  return {
    parse: (value, at) => {
      const parsed = inner.parse(value, at);
      const reason = check(parsed);
      if (reason !== null) throw new SchemaError(at, reason);
      return parsed;
    },
    absent: inner.absent,
  };
}

/** Either of two shapes (the first that parses). */
export function either<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
  return schema((value, at) => {
    try {
      return a.parse(value, at);
    } catch (first) {
      try {
        return b.parse(value, at);
      } catch {
        throw first;
      }
    }
  });
}

/** A union told apart by a literal field (`kind`): one schema per member, none missing. */
export function tagged<U extends Record<Tag, string>, Tag extends string>(tag: Tag, members: { readonly [K in U[Tag]]: Schema<Extract<U, Record<Tag, K>>> }): Schema<U> {
  // The members' parsers by tag (a parser of one member parses to the union).
  const byTag = new Map<string, (value: unknown, at: string) => U>();
  for (const k of Object.keys(members) as U[Tag][]) {
    const member = members[k];
    byTag.set(k, (value, at) => member.parse(value, at));
  }
  return schema((value, at) => {
    if (!isRecord(value)) throw new SchemaError(at, `must be an object, not ${describeValue(value)}`);
    const t = value[tag];
    const member = typeof t === 'string' ? byTag.get(t) : undefined;
    if (member === undefined) throw new SchemaError(`${at}.${tag}`, `must be one of ${[...byTag.keys()].join(', ')}, not ${describeValue(t)}`);
    return member(value, at);
  });
}

/** Nesting of a JSON text (arrays and objects), counted without parsing it: refuse deep files before `JSON.parse` and `JSON.stringify` meet them. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}
