/**
 * The settings LR Lab reads, by option name (`lrlab.<name>` = `--<kebab-name>` = protocol field).
 * No vscode import, so a unit test can check it against package.json.
 */
export const FIND_LR_SETTINGS = ['startLr', 'endLr', 'steps', 'smoothing', 'diverge', 'batchSize', 'momentum', 'weightDecay'] as const;
export const OTHER_SETTINGS = ['backend', 'nodePath', 'seed', 'shareHistory'] as const;
