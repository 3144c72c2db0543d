/**
 * A table's value under a key a user gave (a loss, command, metric or dtype name), from the table's own
 * keys only: `table['constructor']` is Object's (a loss named `constructor` was an internal error, and
 * `lrlab constructor` ran Object and exited 0).
 */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: unknown): V | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}
