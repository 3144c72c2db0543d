/**
 * Entry of `dist/server.js`: the LR Lab language server (CodeLenses and schedule insertion come
 * with the language-server issue). It already speaks LSP over stdio/IPC and syncs documents,
 * so the client can be wired and tested against a real server.
 */
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'lrlab-server' },
}));

documents.listen(connection);
connection.listen();
