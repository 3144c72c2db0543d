/**
 * How the generated blocks (src/server/scheduleCode.ts, weightDecayCode.ts) write their types in
 * the language of the user's file: TypeScript annotations (`s: number`, `x as T`, `type T = …`), or,
 * in JavaScript, the same types in JSDoc (`@param`, `@type`, `@typedef`, `/** @type {T} *\/ (x)`
 * casts), which `// @ts-check` and `checkJs` read and plain JavaScript ignores. Untyped, a block
 * in a checked JavaScript file under `strict` is a screenful of "implicitly has an 'any' type"
 * errors in a file that was clean (test/server/userStrictness.test.ts checks both languages).
 */
import type { BlockStyle } from './scheduleCode';

export interface TypedSyntax {
  /** `typed` in TypeScript, `plain` in JavaScript: an inline annotation, which JavaScript writes in a JSDoc line instead. */
  readonly t: (typed: string, plain?: string) => string;
  /** Lines only JavaScript gets: its JSDoc for what TypeScript annotates inline. */
  readonly js: (...lines: string[]) => string[];
  /** `expr` seen as `type`: `expr as type` (parenthesized when `operand`, followed by `.x` or `[i]`); JavaScript `/** @type {type} *\/ (expr)`. */
  readonly cast: (expr: string, type: string, operand?: boolean) => string;
  /** A type alias local to the block's function: `type Name = …;`, JavaScript `/** @typedef {…} Name *\/`. */
  readonly alias: (name: string, type: string) => string;
}

export function typedSyntax(style: BlockStyle): TypedSyntax {
  const typescript = style.typescript;
  return {
    t: (typed, plain = '') => (typescript ? typed : plain),
    js: (...lines) => (typescript ? [] : lines),
    cast: (expr, type, operand = false) => {
      if (!typescript) return `/** @type {${type}} */ (${expr})`;
      return operand ? `(${expr} as ${type})` : `${expr} as ${type}`;
    },
    alias: (name, type) => (typescript ? `type ${name} = ${type};` : `/** @typedef {${type}} ${name} */`),
  };
}
