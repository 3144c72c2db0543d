//@ts-check
// One build script, one config per entry (design.md "Four bundles"). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
/**
 * `--outdir DIR`: the extension's files (what a VSIX ships: bundles, wasm, esbuild-wasm) go to DIR
 * instead of dist/, and the npm library (dist/lib and its type declarations) is not built. The
 * editor suite packs its production VSIX from such a folder, leaving dist/'s development build in
 * place for the tests beside it (it built over dist/, then built dist/ again).
 */
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt >= 0 ? process.argv[outdirAt + 1] : 'dist';
if (outdir === undefined || outdir.startsWith('--')) {
  console.error('esbuild.mjs: --outdir needs a folder');
  process.exit(2);
}
const library = outdirAt < 0;
/** A path under the output folder. @param {string[]} parts */
const out = (...parts) => path.join(outdir, ...parts);

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  // Minified, functions and classes keep their names (error messages and stack frames read them).
  keepNames: production,
  logLevel: 'warning',
  target: 'es2022',
};

/** BullMQ's optional peers and drivers (Postgres, node-redis, Valkey GLIDE, OpenTelemetry) and msgpackr's native addon. */
const BULLMQ_OPTIONAL = ['pg', 'pg-native', 'redis', '@redis/client', '@valkey/valkey-glide', 'bullmq-otel', 'msgpackr-extract'];

/**
 * tfjs-backend-wasm 4.22's threaded glue pre-creates a pool of 8 Emscripten workers when it starts,
 * each loading the whole module — ~0.3 s of a 2-CPU machine's start, even where XNNPACK gets one
 * thread and only LR Lab's FMA module runs more. The engine says how many it needs before it starts
 * (src/engine/wasmThreads.ts, PTHREAD_POOL); the build fails if the glue no longer reads as checked.
 */
const PTHREAD_POOL_SOURCE = 'var pthreadPoolSize = 8;';
/**
 * Where the glue waits for the pool's workers to load the module before it runs; with no worker in the
 * pool (XNNPACK on one thread: it starts none) it would wait forever, so an empty pool goes on at once.
 */
const POOL_LOADED_SOURCE = 'var numWorkersToLoad = PThread.unusedWorkers.length;';
/** @type {import('esbuild').Plugin} */
const pthreadPool = {
  name: 'lrlab-pthread-pool',
  setup(build) {
    build.onLoad({ filter: /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]tf-backend-wasm\.node\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      for (const expected of [PTHREAD_POOL_SOURCE, POOL_LOADED_SOURCE]) {
        if (source.split(expected).length !== 2) throw new Error(`${args.path}: expected "${expected}" once (tfjs-backend-wasm changed: check src/engine/wasmThreads.ts PTHREAD_POOL)`);
      }
      const contents = source
        .replace(PTHREAD_POOL_SOURCE, "var pthreadPoolSize = globalThis[Symbol.for('lrlab.pthreadPool')] ?? 8;")
        .replace(POOL_LOADED_SOURCE, `${POOL_LOADED_SOURCE} if (numWorkersToLoad === 0) removeRunDependency();`);
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The engine bundle, all ASCII: a process reads it as a one-byte string (a copy) instead of decoding
 * 8.6 MB of UTF-8 into a two-byte one, 50–80 ms of every engine start on a 2-CPU machine
 * (src/engine/launch.ts reads it so when it is ASCII; bench/README.md, "Starting the engine"). esbuild escapes what it emits (strings, identifiers) but keeps comments as they
 * are; a `—` or `·` in one is written as `\u2014`, which changes nothing a comment says to JavaScript.
 * Any other line with a non-ASCII character fails the build.
 */
function asciiComments(file) {
  const text = readFileSync(file, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  // Whether each non-ASCII character is inside a comment: `//` to the end of its line, or between
  // `/*` and `*/` across lines (a licence's continuation lines need not start with `*`). Strings are
  // not tracked: esbuild escapes non-ASCII in them, so a `//` or `/*` inside one can only make this
  // call a line a comment that esbuild has already made ASCII.
  let inBlock = false;
  const lines = text.split('\n').map((line, i) => {
    let out = '';
    let from = 0;
    let inLine = false;
    for (let k = 0; k < line.length; k++) {
      const code = line.charCodeAt(k);
      if (code === 0x2f /* / */ || code === 0x2a /* * */) {
        const pair = line.slice(k, k + 2);
        if (!inLine && !inBlock && pair === '/*') inBlock = true;
        else if (!inLine && inBlock && pair === '*/' && line[k - 1] !== '/') inBlock = false;
        else if (!inBlock && pair === '//') inLine = true;
      } else if (code > 0x7f) {
        if (!inBlock && !inLine) throw new Error(`${file}:${i + 1}: a non-ASCII character outside a comment: ${line.trim().slice(0, 120)}`);
        out += `${line.slice(from, k)}\\u${code.toString(16).padStart(4, '0')}`;
        from = k + 1;
      }
    }
    return from === 0 ? line : out + line.slice(from);
  });
  writeFileSync(file, lines.join('\n'));
}

/** @type {import('esbuild').Plugin} */
const asciiOutput = {
  name: 'lrlab-ascii-output',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length === 0 && build.initialOptions.outfile !== undefined) asciiComments(build.initialOptions.outfile);
    });
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const configs = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: out('extension.js'),
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/server/server.ts'],
    outfile: out('server.js'),
    platform: 'node',
    format: 'cjs',
  },
  {
    ...common,
    entryPoints: ['src/engine/main.ts'],
    outfile: out('engine.js'),
    platform: 'node',
    format: 'cjs',
    // tfjs-node is optional and native; esbuild-wasm is loaded at run time with its .wasm file.
    // bullmq and ioredis are bundled (scale-out); BullMQ's optional clients for other databases
    // and drivers, and msgpackr's optional native addon, stay out: LR Lab never loads them.
    external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'esbuild-wasm', '@napi-rs/canvas', ...BULLMQ_OPTIONAL],
    plugins: [pthreadPool, asciiOutput],
  },
  // The engine's launcher (src/engine/launch.ts): loads dist/engine.js with a V8 code cache. A few
  // kilobytes of Node built-ins: it must not load what it exists to load faster.
  {
    ...common,
    entryPoints: ['src/engine/launch.ts'],
    outfile: out('launch.js'),
    platform: 'node',
    format: 'cjs',
  },
  // bin/lrlab's stdout guard (src/engine/cli/resultGuard.ts): Node built-ins only, loaded before the engine.
  {
    ...common,
    entryPoints: ['src/engine/cli/resultGuard.ts'],
    outfile: out('resultGuard.js'),
    platform: 'node',
    format: 'cjs',
  },
  // `lrlab worker`'s heartbeat thread (src/engine/distributed/workerBeat.ts): ioredis and the
  // connection rules only, so each worker process's thread loads a few hundred KB, not the engine.
  {
    ...common,
    entryPoints: ['src/engine/distributed/beatThread.ts'],
    outfile: out('workerBeat.js'),
    platform: 'node',
    format: 'cjs',
  },
  // The library (`import { findLr, oneCycle } from 'lrlab'`, package.json `exports`): one CommonJS
  // bundle, and an ES module entry that re-exports it (`esmEntry`) — two bundles were two copies in an
  // app that both imports and requires lrlab (an LrLabError of one no instance of the other's, and
  // oneCycle callbacks of both in one fit unnoticed), and the ESM bundle's top-level `createRequire`
  // import collided with the banner apps bundle with. The application's own @tensorflow/tfjs stays
  // external (a peer dependency, never bundled).
  ...(library ? ['cjs'] : []).map(() => /** @type {import('esbuild').BuildOptions} */ ({
    ...common,
    entryPoints: ['src/lib/index.ts'],
    outfile: 'dist/lib/index.cjs',
    // Its classes keep their names in every build (npm pack runs the plain one): an app printed _LrLabError.
    keepNames: true,
    platform: 'node',
    format: 'cjs',
    external: ['@tensorflow/*', 'esbuild-wasm', '@napi-rs/canvas'],
    plugins: [{ name: 'esm-entry', setup: (build) => build.onEnd((result) => (result.errors.length === 0 ? esmEntry() : undefined)) }],
  })),
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: out('webview.js'),
    platform: 'browser',
    format: 'iife',
  },
];

/**
 * dist/lib/index.mjs: the CommonJS bundle's exports as an ES module, named from the annotation esbuild
 * writes for Node's ESM import (`0 && (module.exports = { … })`), so the two entries are one copy.
 */
function esmEntry() {
  const cjs = readFileSync('dist/lib/index.cjs', 'utf8');
  const annotation = /0\s*&&\s*\(module\.exports\s*=\s*\{([^}]*)\}\)/.exec(cjs);
  if (annotation === null) throw new Error('esbuild.mjs: dist/lib/index.cjs has no export annotation to name the ES module entry\'s exports from');
  const names = annotation[1].split(',').map((n) => n.trim()).filter((n) => n !== '');
  writeFileSync(
    'dist/lib/index.mjs',
    `// lrlab's ES module entry: the CommonJS bundle's exports, so an app that imports and requires lrlab gets one copy.\nimport lib from './index.cjs';\nexport const { ${names.join(', ')} } = lib;\n`,
  );
}

/** tfjs-backend-wasm finds its .wasm files by path: ship them next to dist/engine.js. */
function copyWasmFiles() {
  const from = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  mkdirSync(outdir, { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.wasm'))) {
    copyFileSync(path.join(from, file), out(file));
  }
  // The threaded build's Emscripten glue and worker script (src/engine/wasmThreads.ts loads them by path).
  const wasmOut = path.join(from, '..', 'wasm-out');
  mkdirSync(out('wasm-threads'), { recursive: true });
  for (const file of ['tfjs-backend-wasm-threaded-simd.js', 'tfjs-backend-wasm-threaded-simd.worker.js']) {
    copyFileSync(path.join(wasmOut, file), out('wasm-threads', file));
  }
  // LR Lab's relaxed-SIMD FMA matmul (built and committed by scripts/build-fma.mjs), found by
  // src/engine/wasmKernels/fmaGemm.ts in the fma/ folder next to the bundle.
  mkdirSync(out('fma'), { recursive: true });
  for (const file of ['gemm.wasm', 'gemm-shared.wasm']) {
    copyFileSync(path.join('src', 'engine', 'wasmKernels', 'fma', file), out('fma', file));
  }
}

/**
 * The engine transpiles user model files with esbuild-wasm (the native esbuild binary is not
 * allowed in a VSIX). A VSIX has no node_modules install step, so ship the package's runtime
 * files in dist/esbuild-wasm; src/engine/modelFile.ts loads it from there first.
 */
function copyEsbuildWasm() {
  const from = path.dirname(require.resolve('esbuild-wasm/package.json'));
  const to = out('esbuild-wasm');
  for (const file of ['package.json', 'LICENSE.md', 'esbuild.wasm', 'wasm_exec.js', 'wasm_exec_node.js', 'lib/main.js', 'bin/esbuild']) {
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    copyFileSync(path.join(from, file), path.join(to, file));
  }
}

copyWasmFiles();
copyEsbuildWasm();
// A production build writes no source maps: drop a development build's, which no longer match.
if (production) {
  for (const dir of [outdir, out('lib')].filter((d) => existsSync(d))) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.map'))) rmSync(path.join(dir, file));
  }
}
if (watch) {
  for (const config of configs) {
    const context = await esbuild.context(config);
    await context.watch();
  }
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
  // The library's type declarations (package.json `exports` → `types`).
  if (library) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], { stdio: 'inherit' });
}
