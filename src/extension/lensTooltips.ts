/**
 * LR Lab's lenses keep their titles ("Insert 1cycle schedule (max LR 0.3, min 0.03, momentum
 * 0.95→0.85)"), which a narrow editor column cuts off; the tooltip repeats the whole title, so
 * hovering shows every value. The server cannot send a tooltip itself (LSP 3.17 commands have
 * none, and vscode-languageclient 9 drops one), so the client adds it as the lenses arrive.
 */

/** What this needs of a `vscode.CodeLens` (kept structural so it runs without the editor). */
export interface TitledLens {
  command?: { title: string; tooltip?: string } | undefined;
}

/** Sets each lens's tooltip to its full title where it has none; returns what it was given. */
export function withTitleTooltips<T extends TitledLens>(lenses: T[] | null | undefined): T[] | null | undefined {
  for (const lens of lenses ?? []) {
    if (lens.command !== undefined && (lens.command.tooltip === undefined || lens.command.tooltip === '')) lens.command.tooltip = lens.command.title;
  }
  return lenses;
}
