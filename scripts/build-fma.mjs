//@ts-check
/**
 * Builds LR Lab's relaxed-SIMD FMA matmul (src/engine/wasmKernels/fma/gemm.c) into the two
 * committed modules next to it:
 *   gemm.wasm         imports tfjs-backend-wasm's heap as an ordinary memory (single-thread build);
 *   gemm-shared.wasm  imports it as a shared memory (the threaded build; our workers share it).
 * CI does not install the toolchain: run this after changing gemm.c and commit both .wasm files.
 *
 *   apt-get install -y clang-16 lld-16 wabt    # Debian 12
 *   npm run build:fma
 *
 * The modules run inside someone else's heap, so the build fails unless the output has no data
 * segment and never touches the stack pointer (wabt's wasm2wat, when installed, is used to check).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'src', 'engine', 'wasmKernels', 'fma');
const source = path.join(dir, 'gemm.c');

/** @param {string[]} names */
function find(names) {
  for (const name of names) {
    try {
      execFileSync(name, ['--version'], { stdio: 'ignore' });
      return name;
    } catch {
      // not this one
    }
  }
  return null;
}

const clang = find([process.env['CLANG'] ?? '', 'clang-16', 'clang-17', 'clang-18', 'clang'].filter(Boolean));
if (clang === null) {
  console.error('build-fma: no clang found (Debian: apt-get install -y clang-16 lld-16); set CLANG=/path/to/clang');
  process.exit(1);
}
const common = [
  '--target=wasm32', '-O3', '-msimd128', '-mrelaxed-simd', '-ffp-contract=off', '-nostdlib', '-ffreestanding',
  '-fno-builtin', '-Wall', '-Wextra', '-Werror',
  '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--strip-all',
];
const builds = [
  { out: 'gemm.wasm', flags: [] },
  { out: 'gemm-shared.wasm', flags: ['-matomics', '-mbulk-memory', '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'] },
];

const wat = find(['wasm2wat']);
for (const build of builds) {
  const out = path.join(dir, build.out);
  execFileSync(clang, [...common, ...build.flags, '-o', out, source], { stdio: 'inherit' });
  const bytes = readFileSync(out);
  if (wat !== null) {
    const text = execFileSync(wat, ['--enable-all', out], { encoding: 'utf8' });
    if (/\(data\b/.test(text)) throw new Error(`${build.out} has a data segment: it would overwrite tfjs's heap`);
    if (/global\.(get|set)/.test(text)) throw new Error(`${build.out} uses a global (the stack pointer): it would write into tfjs's heap`);
    if (/\(start\b/.test(text)) throw new Error(`${build.out} has a start function`);
  } else {
    console.warn('build-fma: wasm2wat not found (apt-get install -y wabt): the no-stack/no-data check was skipped');
  }
  console.log(`${path.relative(root, out)}: ${bytes.length} bytes`);
}
if (!existsSync(path.join(dir, 'gemm.wasm'))) process.exit(1);
