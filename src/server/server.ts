/**
 * Entry of `dist/server.js`: the LR Lab language server. CodeLenses on model files ("Find
 * learning rate", "Run tuning recipe"; "Insert 1cycle schedule (…)" once a run exists for the
 * file) and the insertion itself: `workspace/executeCommand` → the server builds the change →
 * `workspace/applyEdit`, versioned so an edit computed for an older document is refused.
 */
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { CodeLens, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { uriToPath } from './uriToPath';
import { scan } from './scanner';
import { looksLikeModelFile } from '../core/modelFileText';
import { insertScheduleChanges } from './insertEdit';
import { INSERT_SCHEDULE_COMMAND, RESULTS_NOTIFICATION } from '../protocol/serverMessages';
import type { FileSchedule, ResultsParams } from '../protocol/serverMessages';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const schedules = new Map<string, FileSchedule>();
let lensesEnabled = true;

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    codeLensProvider: { resolveProvider: false },
    executeCommandProvider: { commands: [INSERT_SCHEDULE_COMMAND] },
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
  void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
});

function fmt(x: number): string {
  return x >= 0.01 && x < 1000 ? String(Number(x.toPrecision(3))) : x.toExponential(1);
}

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
  return lenses;
});

connection.onExecuteCommand(async (params) => {
  if (params.command !== INSERT_SCHEDULE_COMMAND) return;
  const [uri, version] = (params.arguments ?? []) as [string, number];
  const document = documents.get(uri);
  const schedule = schedules.get(uri);
  if (document === undefined || schedule === undefined) return;
  if (document.version !== version) {
    connection.window.showWarningMessage('LR Lab: the file changed since the lens was shown; nothing was inserted. Use the lens again.');
    return;
  }
  const outcome = insertScheduleChanges(uriToPath(uri), document.getText(), schedule);
  if ('error' in outcome) {
    connection.window.showWarningMessage(`LR Lab: ${outcome.error}`);
    return;
  }
  const edit: TextDocumentEdit = {
    textDocument: { uri, version: document.version },
    edits: outcome.changes.map((c) => ({ range: { start: document.positionAt(c.start), end: document.positionAt(c.end) }, newText: c.text })),
  };
  const workspaceEdit: WorkspaceEdit = { documentChanges: [edit] };
  const applied = await connection.workspace.applyEdit({ label: 'Insert 1cycle schedule', edit: workspaceEdit });
  if (!applied.applied) connection.window.showWarningMessage(`LR Lab: the edit was not applied${applied.failureReason === undefined ? '' : `: ${applied.failureReason}`}.`);
});

documents.listen(connection);
connection.listen();
