/**
 * The settings LR Lab reads, by option name (`lrlab.<name>` = `--<kebab-name>` = protocol field).
 * No vscode import, so a unit test can check it against package.json.
 */
export const FIND_LR_SETTINGS = ['startLr', 'endLr', 'steps', 'smoothing', 'diverge', 'batchSize', 'momentum', 'weightDecay'] as const;
export const OTHER_SETTINGS = ['backend', 'nodePath', 'seed', 'shareHistory', 'codeLens.enabled', 'redisUrl'] as const;

/** Options a user may override for one run, by their setting/flag names. */
export const OVERRIDABLE = ['startLr', 'endLr', 'steps', 'batchSize', 'momentum', 'weightDecay', 'smoothing', 'diverge', 'seed'] as const;

/** `startLr=1e-6 steps=200` → fields; a message naming the first bad part otherwise. */
export function parseOverrides(text: string): { values: Record<string, number>; error: string | null } {
  const values: Record<string, number> = {};
  for (const part of text.split(/\s+/).filter((p) => p !== '')) {
    const match = /^([a-zA-Z]+)=(.+)$/.exec(part);
    if (match === null) return { values, error: `'${part}' is not name=value` };
    const [, name = '', raw = ''] = match;
    if (!(OVERRIDABLE as readonly string[]).includes(name)) return { values, error: `'${name}' is not an option here (${OVERRIDABLE.join(', ')})` };
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) return { values, error: `${name} must be a number, got '${raw}'` };
    values[name] = value;
  }
  return { values, error: null };
}

