/**
 * The model file as a scale-out job carries it: bundled like the engine bundles it for a local
 * run (relative imports in, `@tensorflow/*` answered by the worker's own tf), and in addition the
 * pure-JS npm packages it imports, so a worker needs no copy of the project and no `npm install`.
 *
 * Left out (the worker must resolve them from the model's path, as a local run would): Node's
 * built-ins, packages with native code (`gypfile`, `binding.gyp`, a native loader such as
 * `node-gyp-build`/`bindings`/`prebuild-install`, or per-platform optional binaries), `.node`
 * files, and anything esbuild cannot resolve here. They are listed in `ModelBundle.external`.
 * What `loadData` reads from disk at run time is not bundled either: it must exist at the same
 * path on every worker (README, "Scaling out").
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ModelBundle } from '../../protocol/requests';
import type { EsbuildPlugin, EsbuildPluginBuild } from '../bundler';
import { TF_MODULE_ID, bundle, isBare, isBuiltin } from '../bundler';

/** Packages whose presence among a package's dependencies means it loads native code. */
const NATIVE_LOADERS = ['bindings', 'node-gyp-build', 'node-gyp-build-optional-packages', 'prebuild-install', 'node-pre-gyp', '@mapbox/node-pre-gyp', 'node-addon-api', 'nan'];
/** napi-rs and friends ship one optional package per platform: `@scope/pkg-linux-x64-gnu`. */
const PLATFORM_PACKAGE = /-(linux|darwin|win32|freebsd|android)-(x64|arm64|ia32|arm)/;
const INNER = 'lrlab-ship-inner';

/** The build esbuild gives plugins, whose `resolve` it always has. */
type ResolvingBuild = EsbuildPluginBuild & Required<Pick<EsbuildPluginBuild, 'resolve'>>;

/** `lodash/fp` → `lodash`; `@scope/pkg/x` → `@scope/pkg`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The folder of the package that holds `file` (the nearest package.json with a name). */
function packageRootOf(file: string): string | null {
  let dir = path.dirname(file);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (typeof (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'string') return dir;
      } catch {
        // not a usable manifest: keep looking up
      }
    }
    const up = path.dirname(dir);
    if (up === dir || path.basename(dir) === 'node_modules') return null;
    dir = up;
  }
}

/** Whether the package at `root` loads native code (see the file comment). */
export function isNativePackage(root: string): boolean {
  if (existsSync(path.join(root, 'binding.gyp'))) return true;
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { gypfile?: boolean; binary?: unknown; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    if (manifest.gypfile === true || manifest.binary !== undefined) return true;
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies });
    return deps.some((d) => NATIVE_LOADERS.includes(d) || PLATFORM_PACKAGE.test(d));
  } catch {
    return false;
  }
}

function shippingPlugin(external: Set<string>): EsbuildPlugin {
  return {
    name: 'lrlab-ship-model',
    setup(plain: EsbuildPluginBuild): void {
      const build = plain as ResolvingBuild;
      const onResolve = build.onResolve.bind(build);
      onResolve({ filter: /^@tensorflow\// }, () => ({ path: TF_MODULE_ID, external: true }));
      onResolve({ filter: /\.node$/ }, (args) => {
        external.add(args.path);
        return { path: args.path, external: true };
      });
      onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === INNER || !isBare(args.path)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const name = packageNameOf(args.path);
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: INNER });
        const root = resolved.errors.length === 0 && !resolved.external ? packageRootOf(resolved.path) : null;
        if (root === null || isNativePackage(root)) {
          external.add(name);
          return { path: args.path, external: true };
        }
        return { path: resolved.path };
      });
    },
  };
}

/** Bundles made in this process, by path (a study in a recipe reuses its run's). */
const shipments = new Map<string, { readonly stamp: string; readonly bundle: Promise<ModelBundle> }>();

/**
 * The model file as a job carries it, made once per process for an unchanged file. A run with
 * `--redis` starts it before loading the data locally: bundling after a large `loadData()` is
 * slow (seconds), with the data's heap in the way of esbuild's plugin calls.
 */
export function shipModel(file: string): Promise<ModelBundle> {
  const absolute = path.resolve(file);
  let stamp = '';
  try {
    const stat = statSync(absolute);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    // missing: bundling says so
  }
  const made = shipments.get(absolute);
  if (made !== undefined && made.stamp === stamp) return made.bundle;
  const bundle = bundleForShipping(absolute);
  shipments.set(absolute, { stamp, bundle });
  bundle.catch(() => shipments.delete(absolute));
  return bundle;
}

/** The model file and everything it imports that can travel, as one script. */
async function bundleForShipping(absolute: string): Promise<ModelBundle> {
  const external = new Set<string>();
  const { code } = await bundle(absolute, { plugin: shippingPlugin(external) });
  return { file: absolute, code, hash: createHash('sha256').update(code).digest('hex'), external: [...external].sort() };
}
