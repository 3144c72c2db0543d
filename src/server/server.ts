/**
 * Entry of `dist/server.js`: the LR Lab language server. CodeLenses: on model files "Find
 * learning rate" and "Run tuning recipe"; on training scripts (no contract exports) "Find
 * learning rate" above every `fit`/`fitDataset` call; "Insert 1cycle schedule (…)" once a run
 * exists for the file, "Insert weight decay 1e-4" once a sweep, weight-decay study or recipe
 * chose one. And the insertions themselves: `workspace/executeCommand` → the server builds the
 * change → `workspace/applyEdit`, versioned so an edit computed for an older document is refused.
 */
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { CodeLens, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { uriToPath } from './uriToPath';
import { scan } from './scanner';
import { looksLikeModelFile } from '../core/modelFileText';
import { insertScheduleChanges, insertWeightDecayChanges } from './insertEdit';
import type { InsertOutcome } from './insertEdit';
import { insertLenses, weightDecayTitle } from './insertLenses';
import { INSERT_SCHEDULE_COMMAND, INSERT_WEIGHT_DECAY_COMMAND, ResultsNotification } from '../protocol/serverMessages';
import { COMMANDS } from '../protocol/commandIds';
import type { FileSchedule, FileWeightDecay, ResultsParams } from '../protocol/serverMessages';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const schedules = new Map<string, FileSchedule>();
const weightDecays = new Map<string, FileWeightDecay>();
let lensesEnabled = true;

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    codeLensProvider: { resolveProvider: false },
    executeCommandProvider: { commands: [INSERT_SCHEDULE_COMMAND, INSERT_WEIGHT_DECAY_COMMAND] },
  },
  serverInfo: { name: 'lrlab-server' },
}));

connection.onInitialized(() => {
  void refreshSettings();
});

async function refreshSettings(): Promise<void> {
  try {
    const value = (await connection.workspace.getConfiguration('lrlab.codeLens')) as { enabled?: boolean } | null;
    lensesEnabled = value?.enabled !== false;
  } catch {
    lensesEnabled = true;
  }
}

connection.onDidChangeConfiguration(() => {
  void refreshSettings().then(() => connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined));
});

/** The entries of a list from the extension that have a string `uri`; the rest of each is checked where it is used. */
function withUri<T extends { readonly uri: string }>(list: readonly T[] | undefined): T[] {
  const entries: readonly unknown[] = Array.isArray(list) ? (list as readonly unknown[]) : [];
  return entries.filter((e): e is T => typeof e === 'object' && e !== null && typeof (e as { uri?: unknown }).uri === 'string');
}

connection.onNotification(ResultsNotification.type, (params: ResultsParams) => {
  // The values come from run files (untrusted): the lenses check them (src/server/codeValues.ts)
  // and say why when one cannot be inserted.
  schedules.clear();
  for (const s of withUri(params.schedules)) schedules.set(s.uri, s);
  weightDecays.clear();
  // A chosen 0 has nothing to insert: no lens.
  for (const w of withUri(params.weightDecays)) if (w.weightDecay !== 0) weightDecays.set(w.uri, w);
  void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
});

connection.onCodeLens((params): CodeLens[] => {
  if (!lensesEnabled) return [];
  const document = documents.get(params.textDocument.uri);
  if (document === undefined) return [];
  const result = scan(uriToPath(document.uri), document.getText());
  const lenses: CodeLens[] = [];
  const at = (line: number): { start: { line: number; character: number }; end: { line: number; character: number } } => ({ start: { line, character: 0 }, end: { line, character: 0 } });
  const anchor = result.createModel ?? result.modelBuilders[0] ?? null;
  if (looksLikeModelFile(document.getText()) && anchor !== null) {
    lenses.push({ range: at(anchor.line), command: { title: 'Find learning rate', command: COMMANDS.findLearningRate, arguments: [document.uri] } });
    lenses.push({ range: at(anchor.line), command: { title: 'Run tuning recipe', command: COMMANDS.runRecipe, arguments: [document.uri] } });
  } else if (result.fitCalls.length > 0) {
    // A training script: the engine runs it up to its first fit call (src/engine/scriptModel.ts), or,
    // where it has several (a warm-up fit, then the main one), up to the lens's own (its fitLine).
    const several = result.fitCalls.length > 1;
    for (const fit of result.fitCalls) lenses.push({ range: at(fit.statementStart.line), command: { title: 'Find learning rate', command: COMMANDS.findLearningRate, arguments: several ? [document.uri, fit.nameLine + 1] : [document.uri] } });
  } else if (anchor !== null) {
    lenses.push({ range: at(anchor.line), command: { title: 'Set up for LR Lab', command: COMMANDS.setUpModelFile, arguments: [document.uri] } });
  }
  lenses.push(...insertLenses({ uri: document.uri, version: document.version, fileName: uriToPath(document.uri), text: document.getText() }, result, schedules.get(document.uri), weightDecays.get(document.uri)));
  return lenses;
});

connection.onExecuteCommand(async (params) => {
  const [uri, version, at] = (params.arguments ?? []) as [string, number, unknown];
  // The lens's fit call (its index in the scan; the version check below makes it the same file's).
  const fit = typeof at === 'number' && Number.isInteger(at) && at >= 0 ? at : 0;
  const document = documents.get(uri);
  if (document === undefined) return;
  let label: string;
  let build: (fileName: string, text: string) => InsertOutcome;
  if (params.command === INSERT_SCHEDULE_COMMAND) {
    const schedule = schedules.get(uri);
    if (schedule === undefined) return;
    label = 'Insert 1cycle schedule';
    build = (fileName, text) => insertScheduleChanges(fileName, text, schedule, { fit });
  } else if (params.command === INSERT_WEIGHT_DECAY_COMMAND) {
    const weightDecay = weightDecays.get(uri);
    if (weightDecay === undefined) return;
    label = weightDecayTitle(weightDecay);
    build = (fileName, text) => insertWeightDecayChanges(fileName, text, weightDecay, { fit });
  } else {
    return;
  }
  if (document.version !== version) {
    warn('LR Lab: the file changed since the lens was shown; nothing was inserted. Use the lens again.');
    return;
  }
  const outcome = build(uriToPath(uri), document.getText());
  if ('error' in outcome) {
    warn(`LR Lab: can't insert: ${outcome.error.reason}; ${outcome.error.fix}.`);
    return;
  }
  // One versioned edit: the client refuses it if the document moved on meanwhile.
  const edit: TextDocumentEdit = {
    textDocument: { uri, version: document.version },
    edits: outcome.changes.map((c) => ({ range: { start: document.positionAt(c.start), end: document.positionAt(c.end) }, newText: c.text })),
  };
  const workspaceEdit: WorkspaceEdit = { documentChanges: [edit] };
  const applied = await connection.workspace.applyEdit({ label, edit: workspaceEdit });
  if (!applied.applied) warn(`LR Lab: the edit was not applied${applied.failureReason === undefined ? '' : `: ${applied.failureReason}`}.`);
  else {
    if (outcome.notice !== undefined) warn(`LR Lab: inserted the block, not its call: ${outcome.notice.reason}; ${outcome.notice.fix}.`);
    if (outcome.caution !== undefined) warn(`LR Lab: inserted ${label.replace(/^Insert /, 'the ').replace(/ \(.*$/, '')}; check: ${outcome.caution.reason}; ${outcome.caution.fix}.`);
  }
});

/**
 * A warning for the user. The client answers it as a request, and may refuse it (an editor without a
 * handler for window/showMessageRequest): unanswered, the rejection ended the server with a stack trace.
 */
function warn(message: string): void {
  // Typed void without actions, yet sent as a request (vscode-languageserver 9): its promise is caught here.
  const shown = connection.window.showWarningMessage(message) as unknown as Promise<unknown>;
  shown.then(undefined, (error: unknown) => {
    connection.console.warn(`${message} (the editor did not show it: ${error instanceof Error ? error.message : String(error)})`);
  });
}

documents.listen(connection);
connection.listen();
