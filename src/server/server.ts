/**
 * Entry of `dist/server.js`: the LR Lab language server. CodeLenses on model files ("Find
 * learning rate", "Run tuning recipe"; "Insert 1cycle schedule (…)" once a run exists for the
 * file, "Insert weight decay 1e-4" once a sweep, weight-decay study or recipe chose one) and the
 * insertions themselves: `workspace/executeCommand` → the server builds the change →
 * `workspace/applyEdit`, versioned so an edit computed for an older document is refused.
 */
import { formatLr } from '../protocol/format';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { CodeLens, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { uriToPath } from './uriToPath';
import { scan } from './scanner';
import { looksLikeModelFile } from '../core/modelFileText';
import { insertScheduleChanges, insertWeightDecayChanges } from './insertEdit';
import type { InsertOutcome } from './insertEdit';
import { weightDecayLiteral } from './weightDecayCode';
import { INSERT_SCHEDULE_COMMAND, INSERT_WEIGHT_DECAY_COMMAND, RESULTS_NOTIFICATION } from '../protocol/serverMessages';
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

connection.onNotification(RESULTS_NOTIFICATION, (params: ResultsParams) => {
  schedules.clear();
  for (const s of params.schedules) schedules.set(s.uri, s);
  weightDecays.clear();
  // A chosen 0 (or anything not a positive number) has nothing to insert: no lens.
  for (const w of params.weightDecays) if (Number.isFinite(w.weightDecay) && w.weightDecay > 0) weightDecays.set(w.uri, w);
  void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
});

/** The lens shows the headline as the panel and the notification do (one formatter). */
const fmt = formatLr;

connection.onCodeLens((params): CodeLens[] => {
  if (!lensesEnabled) return [];
  const document = documents.get(params.textDocument.uri);
  if (document === undefined) return [];
  const result = scan(uriToPath(document.uri), document.getText());
  const lenses: CodeLens[] = [];
  const at = (line: number): { start: { line: number; character: number }; end: { line: number; character: number } } => ({ start: { line, character: 0 }, end: { line, character: 0 } });
  const anchor = result.createModel ?? result.modelBuilders[0] ?? null;
  if (looksLikeModelFile(document.getText()) && anchor !== null) {
    lenses.push({ range: at(anchor.line), command: { title: 'Find learning rate', command: 'lrlab.findLearningRate', arguments: [document.uri] } });
    lenses.push({ range: at(anchor.line), command: { title: 'Run tuning recipe', command: 'lrlab.runRecipe', arguments: [document.uri] } });
  } else if (anchor !== null) {
    lenses.push({ range: at(anchor.line), command: { title: 'Set up for LR Lab', command: 'lrlab.setUpModelFile', arguments: [document.uri] } });
  }
  const schedule = schedules.get(document.uri);
  const fit = result.fitCalls[0];
  if (schedule !== undefined && fit !== undefined) {
    lenses.push({
      range: at(fit.statementStart.line),
      command: {
        title: `Insert 1cycle schedule (max LR ${fmt(schedule.maxLr)}, min ${fmt(schedule.minLr)}, momentum ${schedule.maxMomentum}→${schedule.minMomentum})`,
        command: INSERT_SCHEDULE_COMMAND,
        arguments: [document.uri, document.version],
      },
    });
  }
  const weightDecay = weightDecays.get(document.uri);
  if (weightDecay !== undefined && fit !== undefined) {
    // Above model.compile, where the optimizer is configured; at the fit statement (where the
    // block goes) when this file does not compile the model itself.
    lenses.push({
      range: at(result.compileCalls[0]?.line ?? fit.statementStart.line),
      command: { title: `Insert weight decay ${weightDecayLiteral(weightDecay.weightDecay)}`, command: INSERT_WEIGHT_DECAY_COMMAND, arguments: [document.uri, document.version] },
    });
  }
  return lenses;
});

connection.onExecuteCommand(async (params) => {
  const [uri, version] = (params.arguments ?? []) as [string, number];
  const document = documents.get(uri);
  if (document === undefined) return;
  let label: string;
  let build: (fileName: string, text: string) => InsertOutcome;
  if (params.command === INSERT_SCHEDULE_COMMAND) {
    const schedule = schedules.get(uri);
    if (schedule === undefined) return;
    label = 'Insert 1cycle schedule';
    build = (fileName, text) => insertScheduleChanges(fileName, text, schedule);
  } else if (params.command === INSERT_WEIGHT_DECAY_COMMAND) {
    const weightDecay = weightDecays.get(uri);
    if (weightDecay === undefined) return;
    label = `Insert weight decay ${weightDecayLiteral(weightDecay.weightDecay)}`;
    build = (fileName, text) => insertWeightDecayChanges(fileName, text, weightDecay);
  } else {
    return;
  }
  if (document.version !== version) {
    connection.window.showWarningMessage('LR Lab: the file changed since the lens was shown; nothing was inserted. Use the lens again.');
    return;
  }
  const outcome = build(uriToPath(uri), document.getText());
  if ('error' in outcome) {
    connection.window.showWarningMessage(`LR Lab: ${outcome.error}`);
    return;
  }
  // One versioned edit: the client refuses it if the document moved on meanwhile.
  const edit: TextDocumentEdit = {
    textDocument: { uri, version: document.version },
    edits: outcome.changes.map((c) => ({ range: { start: document.positionAt(c.start), end: document.positionAt(c.end) }, newText: c.text })),
  };
  const workspaceEdit: WorkspaceEdit = { documentChanges: [edit] };
  const applied = await connection.workspace.applyEdit({ label, edit: workspaceEdit });
  if (!applied.applied) connection.window.showWarningMessage(`LR Lab: the edit was not applied${applied.failureReason === undefined ? '' : `: ${applied.failureReason}`}.`);
});

documents.listen(connection);
connection.listen();
