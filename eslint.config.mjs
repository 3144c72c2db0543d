// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/fixtures/**', 'test/editor/fixtures/**', 'examples/**/*.js', '**/*.d.ts', 'esbuild.mjs', 'eslint.config.mjs', 'bin/**', '.lrlab-cache/**', 'test-results/**', 'scratch/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The plain .mjs scripts (nine of them: the editor harness, scripts/) have no tsconfig of their own.
        projectService: { allowDefaultProject: ['test/editor/*.mjs', 'bench/*.mjs', 'scripts/*.mjs'], maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 12 },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // Async interface methods (tfjs IOHandler, LSP handlers) need not await.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tensorflow/*'], message: "Only src/engine/tfjs.ts (the engine's bundled tfjs, lazily) and src/lib/appTf.ts (the library's: the application's @tensorflow/tfjs peer) load tfjs; everyone else receives tf by injection.", allowTypeImports: true }] }],
    },
  },
  {
    files: ['src/core/**', 'src/protocol/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode', 'node:*', 'fs', 'path', 'child_process'], message: 'core/protocol are pure: no I/O, no vscode.' },
        { group: ['@tensorflow/*'], message: 'core/protocol never import tfjs.', allowTypeImports: false },
        { group: ['**/engine/**', '**/extension/**', '**/server/**'], message: 'core imports only protocol.' },
      ] }],
    },
  },
  {
    // style.md: messages are typed constants in namespaces (vscode-eslint's customMessages.ts).
    files: ['src/protocol/engineRpc.ts', 'src/protocol/serverMessages.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    files: ['src/engine/**'],
    rules: {
      // tfjs, tfjs-node, esbuild-wasm and the canvas binding are loaded lazily on purpose
      // (never two tfjs in one process; nothing heavy before it is needed).
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode'], message: 'The engine never imports vscode.' },
        { group: ['@tensorflow/*'], message: 'Only src/engine/tfjs.ts loads tfjs (lazily).', allowTypeImports: true },
      ] }],
    },
  },
  {
    // ARCHITECTURE.md: the extension host never loads the engine (it runs as a process through
    // engineHost.ts) nor the server (LSP only); test/unit/lintBoundaries.test.ts proves these fire.
    files: ['src/extension/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/engine', '**/engine/**'], message: 'The extension runs the engine as a process (engineHost.ts); import protocol or core instead.' },
        { group: ['**/server', '**/server/**'], message: 'The extension reaches the language server only over LSP (protocol/serverMessages.ts).' },
        { group: ['@tensorflow/*'], message: 'tfjs never loads in the extension host.', allowTypeImports: true },
      ] }],
    },
  },
  {
    files: ['src/lib/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode'], message: 'The library never imports vscode.' },
        { group: ['**/extension/**', '**/server/**'], message: 'The library is the engine and core, used from an application.' },
        { group: ['@tensorflow/*'], message: "The library gets the application's tf from src/lib/appTf.ts (its one import of the @tensorflow/tfjs peer).", allowTypeImports: true },
      ] }],
    },
  },
  {
    files: ['src/server/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode'], message: 'The language server is its own process: no vscode API (vscode-languageserver only).' },
        { group: ['**/engine', '**/engine/**', '**/extension', '**/extension/**'], message: 'The server reads text: it imports only core and protocol.' },
        { group: ['@tensorflow/*'], message: 'The server never loads tfjs.', allowTypeImports: false },
      ] }],
    },
  },
  {
    // The library's one value import of tfjs: the application's own copy, a peer dependency.
    files: ['src/lib/appTf.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['vscode'], message: 'The library never imports vscode.' }] }] },
  },
  {
    files: ['webview/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode', 'node:*', 'fs', 'path'], message: 'The webview sees only src/protocol.' },
        { group: ['**/src/core/**', '**/src/engine/**', '**/src/extension/**', '**/src/server/**'], message: 'The webview imports only src/protocol.' },
      ] }],
    },
  },
  {
    files: ['test/**', 'bench/**', 'examples/**'],
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
