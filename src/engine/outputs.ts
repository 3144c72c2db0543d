/**
 * Files a command writes (`--plot`, `--save`): one rule for all of them.
 *
 * - Checked before any work starts (`reserveOutputs`): the folder exists (a `--save` folder may be
 *   new, its parent may not) and is writable; a file that exists is replaced only with `--force`;
 *   an output is never one of the command's inputs (the model file, its weight files, the CSV),
 *   `--force` or not.
 * - One writer per file: a lock file (`.<name>.lrlab-lock`, created exclusively, holding the pid
 *   and the process's start time) is taken at reservation and dropped at the end (on SIGTERM and
 *   SIGHUP too); a second command aimed at the same file gets a clear error before it starts. A
 *   lock whose process is gone — or whose pid another program now has — is taken over.
 * - Written whole or not at all (`commit`): every file goes to a temp file in its folder first,
 *   then is renamed into place (without `--force`, linked into place, which fails if the file
 *   appeared meanwhile). A failed write (disk full, file size limit) removes the temps and leaves
 *   the old files as they were.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fchmodSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { procStatFields, processExists } from './childProcesses';
import type { OptionName } from '../protocol/options';
import { flagFor } from '../protocol/options';
import { LrLabError, OptionError } from '../protocol/errors';
import type { AnyResult } from '../protocol/results';
import { realPathOf } from './safePaths';
import { onFatalSignal } from './fatalSignals';
import { toLrLabError } from './errorMapping';

export interface OutputRequest {
  /** The option that names these files (`plot`, `save`). */
  readonly option: OptionName;
  readonly files: readonly string[];
  readonly force: boolean;
  /** Files the command reads: never overwritten. */
  readonly inputs: readonly string[];
}

/** Why a file could not be written, in words (`no space left on the device`), with the code. */
export function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EFBIG: 'the file is larger than this process may write (ulimit -f)',
    EDQUOT: 'the disk quota is used up',
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EROFS: 'the file system is read-only',
    ENOENT: 'the folder does not exist',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder',
    EEXIST: 'the file appeared while LR Lab was writing it',
  };
  const text = code !== undefined ? words[code] : undefined;
  return text === undefined ? (error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error)) : `${text} (${code})`;
}

/** The target of a symbolic link at `file`, else `null` (no such path, or not a link). */
function symbolicLink(file: string): string | null {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : null;
  } catch {
    return null;
  }
}

function lockOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.lrlab-lock`);
}

/** A process's start time (Linux: /proc/<pid>/stat's 22nd field, in clock ticks since boot); `null` where unknown. */
function startTimeOf(pid: number): string | null {
  return procStatFields(pid)?.[19] ?? null;
}

/** Whether a process's command line looks like LR Lab's (the CLI, or the editor's engine); `null` where unknown. */
function looksLikeLrLab(pid: number): boolean | null {
  try {
    return /lrlab|engine\.js/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Whether the lock's holder still runs. A lock names its pid and, where the system says, the
 * process's start time: a pid reused by another process (common in containers) is not the holder
 * (`echo 1 > .p.png.lrlab-lock` blocked every later run "another LR Lab process (pid 1)"). A lock
 * without a start time (an older LR Lab's) is held by a live process whose command line is LR Lab's.
 */
function holderRuns(pid: number, start: string | undefined): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !processExists(pid)) return false;
  if (start !== undefined && start !== '') {
    const now = startTimeOf(pid);
    return now === null || now === start;
  }
  return looksLikeLrLab(pid) ?? true;
}

/** Held locks, dropped on exit however the process ends short of a kill. */
const held = new Set<string>();
let exitHook = false;

function dropLock(lock: string): void {
  held.delete(lock);
  try {
    unlinkSync(lock);
  } catch {
    // gone already
  }
}

/** `--save` folders a reservation made that its release has not yet removed (or kept: the model is in them). */
const madeFolders = new Set<string>();

/** At exit, and on SIGTERM and SIGHUP: the locks held dropped, then the folders made for them removed where still empty. */
function cleanUpAtExit(): void {
  [...held].forEach(dropLock);
  for (const folder of madeFolders) removeIfEmpty(folder);
  madeFolders.clear();
}

function hookExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', cleanUpAtExit);
  // SIGTERM and SIGHUP end the process without its 'exit' event: the locks were left behind 7 times
  // of 7, and a --save folder made for them stayed, empty.
  onFatalSignal(cleanUpAtExit);
}

/** What a lock of this process holds (`takeLock`): its pid and, where the system says, its start time (read once). */
let ownLockContent: string | null = null;
function lockContent(): string {
  ownLockContent ??= `${process.pid} ${startTimeOf(process.pid) ?? ''}`.trim();
  return ownLockContent;
}

/**
 * The cleaner of a process that ends without its hooks. While user code runs, Ctrl-C takes SIGINT's
 * default action (userCode.ts: a blocking `loadData` must stay interruptible), and SIGKILL or the
 * OOM killer give no process a last word: the locks and a new, empty --save folder stayed behind
 * (the next run took the locks over; the folder stayed for good). So each reservation also starts a
 * tiny `sh` outside the process, holding the read end of a pipe whose write end only this process
 * holds (Node's pipes are close-on-exec: no later child inherits it). However the process ends, the
 * pipe closes; the cleaner then removes the locks that still hold this process's content (not one a
 * later run took over) and the folders the reservation made where they are still empty. After a
 * normal end they are gone already and it finds nothing. It runs in a session of its own, so that a
 * signal to the process group (Ctrl-C, a kill of the group) does not end it first; it ignores INT and
 * HUP all the same. None on Windows (no `sh`): there the next run takes the locks over.
 */
function startCleaner(locks: readonly string[], folders: readonly string[]): void {
  if (process.platform === 'win32' || (locks.length === 0 && folders.length === 0)) return;
  const script = `trap '' INT HUP
while read -r _; do :; done
mine=$1; shift
for entry in "$@"; do
  case $entry in
    lock:*) f=\${entry#lock:}; [ "$(head -c 64 "$f" 2>/dev/null)" = "$mine" ] && rm -f "$f" ;;
    folder:*) rmdir "\${entry#folder:}" 2>/dev/null ;;
  esac
done
exit 0`;
  try {
    const child = spawn('/bin/sh', ['-c', script, 'lrlab-cleaner', lockContent(), ...locks.map((l) => `lock:${l}`), ...folders.map((f) => `folder:${f}`)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    child.on('error', () => undefined); // no sh: the next run takes the locks over, as before
    child.stdin?.on('error', () => undefined);
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    child.unref();
  } catch {
    // no cleaner: as before
  }
}

function takeLock(file: string, option: OptionName): string {
  const lock = lockOf(file);
  // The hooks first: a SIGTERM between making the lock and hooking it took the default action (the
  // process gone at once) and left the lock behind. Hooked, the signal waits for this synchronous
  // code, by which time the lock is in `held`.
  hookExit();
  for (let attempt = 0; attempt < 2; attempt++) {
    // Made whole, then linked into place (EEXIST where another holds it): a lock made empty and then
    // written could be read, in between, as one whose holder is gone — and taken over by a second process.
    const temp = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.lrlab-tmp`;
    try {
      const fd = openSync(temp, 'wx');
      try {
        writeSync(fd, lockContent());
      } finally {
        closeSync(fd);
      }
      linkSync(temp, lock);
      held.add(lock);
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let kind: 'file' | 'folder' | 'other' = 'other';
      try {
        const stat = lstatSync(lock);
        kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : 'other';
      } catch {
        continue; // gone meanwhile: try again
      }
      if (kind !== 'file') {
        throw new OptionError(option, `Could not lock ${file} for writing: ${lock} is ${kind === 'folder' ? 'a folder' : 'not a regular file'}, where LR Lab keeps its lock file.`, `Remove ${lock}, or give ${flagFor(option)} another path.`);
      }
      const [pidText, start] = readHead(lock).split(/\s+/);
      const pid = Number(pidText);
      if (holderRuns(pid, start)) {
        throw new OptionError(option, `Another LR Lab process (pid ${pid}) is writing ${file}.`, `Wait for it to finish, or give ${flagFor(option)} another path.`);
      }
      // Left by a process that is gone (killed mid-run), or by a pid now another program's: take it over.
      dropLock(lock);
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        // never made
      }
    }
  }
  throw new OptionError(option, `Could not lock ${file} for writing.`, `Give ${flagFor(option)} another path.`);
}

/** The first bytes of a small file (a lock: a pid and a start time): never a whole large file (a 2 GB lock took 21 s). */
function readHead(file: string): string {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(64);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').trim();
  } catch {
    return '';
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The folder a file goes to: it exists (or, for a new `--save` folder, its parent does) and is writable. */
function checkFolder(file: string, option: OptionName): void {
  let folder = path.dirname(file);
  const fix = `Give ${flagFor(option)} a path in a folder that exists and that you can write to.`;
  if (!existsSync(folder) && option === 'save') folder = path.dirname(folder);
  let isDir = false;
  try {
    isDir = statSync(folder).isDirectory();
  } catch {
    throw new OptionError(option, `${flagFor(option)}: the folder ${folder} does not exist.`, fix);
  }
  if (!isDir) throw new OptionError(option, `${flagFor(option)}: ${folder} is a file, not a folder.`, fix);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new OptionError(option, `${flagFor(option)}: the folder ${folder} is not writable.`, fix);
  }
}

/** The longest file name most file systems take (ext4, APFS, NTFS: 255 bytes). */
const MAX_NAME_BYTES = 255;
/** What the lock's temp name adds to an output's name: `.` + `.lrlab-lock` + `.<pid, up to 7 digits>.<8 hex>.lrlab-tmp`. */
const NAME_BYTES_ADDED = 1 + '.lrlab-lock'.length + 1 + 7 + 1 + 8 + '.lrlab-tmp'.length;
const MAX_OUTPUT_NAME_BYTES = MAX_NAME_BYTES - NAME_BYTES_ADDED;

/**
 * Temp files of `file` left by a process killed mid-write (`commit`'s `.<name>.<12 hex>.lrlab-tmp`):
 * with its lock held, no one else writes `file`, so every one of them is stale. (They stayed for good.)
 */
function sweepTemps(file: string): void {
  const folder = path.dirname(file);
  const pattern = new RegExp(`^\\.${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[0-9a-f]{12}\\.lrlab-tmp$`);
  try {
    for (const name of readdirSync(folder)) {
      if (!pattern.test(name)) continue;
      try {
        if (lstatSync(path.join(folder, name)).isFile()) unlinkSync(path.join(folder, name));
      } catch {
        // gone already
      }
    }
  } catch {
    // an unreadable folder: the write itself will say what is wrong
  }
}

/** Files reserved for one command's output: write them with `commit`, always `release`. */
export class Outputs {
  private constructor(
    private readonly request: OutputRequest,
    private readonly locks: string[],
    /** A `--save` folder made by the reservation: removed again when nothing was written to it. */
    private readonly made: string | null,
  ) {}

  /** Checks every output path before the work starts (file comment); throws a one-line error naming the path and the fix. */
  static reserve(request: OutputRequest): Outputs {
    const { option, files, force } = request;
    const inputs = new Set(request.inputs.map((f) => realPathOf(path.resolve(f))));
    for (const file of files) {
      checkFolder(file, option);
      // The lock's temp file beside it is the longest name LR Lab makes there (takeLock): a 249-character
      // --plot failed with ENAMETOOLONG naming that internal path.
      const bytes = Buffer.byteLength(path.basename(file));
      if (bytes > MAX_OUTPUT_NAME_BYTES) {
        throw new OptionError(option, `${flagFor(option)}: the file name ${path.basename(file).slice(0, 40)}… is ${bytes} bytes; beside it LR Lab writes a lock and a temp file whose names are ${NAME_BYTES_ADDED} bytes longer, past the ${MAX_NAME_BYTES} bytes file systems allow in a name.`, `Give ${flagFor(option)} a file name of at most ${MAX_OUTPUT_NAME_BYTES} bytes.`);
      }
      if (inputs.has(realPathOf(file))) {
        throw new OptionError(option, `${flagFor(option)} would overwrite ${file}, which this command reads.`, `Give ${flagFor(option)} another path: LR Lab never replaces its input${force ? ', --force or not' : ''}.`);
      }
      // A symbolic link (a dangling one too, which existsSync misses): outputs are written as new
      // files and renamed into place, which would replace the link itself — refused, with or
      // without --force (a dangling link failed after the whole run as "the file appeared").
      const link = symbolicLink(file);
      if (link !== null) {
        throw new OptionError(option, `${flagFor(option)}: ${file} is a symbolic link (to ${link}${existsSync(file) ? '' : ', which does not exist'}); LR Lab does not write through links or replace them.`, `Give ${flagFor(option)} the path of a regular file, e.g. the link's target.`);
      }
      if (existsSync(file)) {
        // --save names a folder; its model.json being a folder is the problem there.
        if (statSync(file).isDirectory()) throw new OptionError(option, `${flagFor(option)}: ${file} is a folder${option === 'save' ? `, where ${path.basename(file)} would be written` : ''}.`, option === 'save' ? `Remove or rename that folder, or give ${flagFor(option)} another folder.` : `Give ${flagFor(option)} a file path.`);
        if (!force) {
          throw new OptionError(option, `${file} exists; LR Lab does not overwrite it without --force.`, `Give ${flagFor(option)} another path, or add --force to replace it.`);
        }
      }
    }
    const locks: string[] = [];
    let made: string | null = null;
    try {
      for (const file of files) {
        const folder = path.dirname(file);
        if (!existsSync(folder)) {
          // A new --save folder (its parent was checked): made now, so that it can be locked now.
          hookExit();
          try {
            mkdirSync(folder);
            made = folder;
            madeFolders.add(folder);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another command just made it: the lock decides
          }
        }
        locks.push(takeLock(file, option));
        sweepTemps(file);
      }
    } catch (error) {
      locks.forEach(dropLock);
      if (made !== null) {
        removeIfEmpty(made);
        madeFolders.delete(made);
      }
      if (error instanceof LrLabError) throw error;
      // ENOENT in a folder that exists (/proc, a virtual file system): it takes no new files.
      const folder = path.dirname(files[0] ?? '');
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(folder) ? 'the folder takes no new files (ENOENT)' : writeFailure(error);
      throw new OptionError(option, `${flagFor(option)}: cannot write to ${folder}: ${why}.`, `Give ${flagFor(option)} a path in a folder you can write to.`);
    }
    startCleaner(locks, made === null ? [] : [made]);
    return new Outputs(request, locks, made);
  }

  /**
   * Writes every file whole (temp file, then rename), or none of them: on failure the temps are
   * removed and the error says which file and why. `contents` must name exactly the reserved files.
   */
  commit(contents: ReadonlyMap<string, string | Uint8Array>): void {
    const { option, force } = this.request;
    const temps: [temp: string, file: string][] = [];
    let current = '';
    try {
      for (const [file, content] of contents) {
        current = file;
        if (!this.request.files.includes(file)) throw new Error(`${file} was not reserved`);
        const folder = path.dirname(file);
        const temp = path.join(folder, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.lrlab-tmp`);
        const fd = openSync(temp, 'wx');
        temps.push([temp, file]);
        try {
          // A file --force replaces keeps its permissions: a plot at 640 came back 644, readable by all.
          const replaced = force ? existingFileMode(file) : null;
          if (replaced !== null) fchmodSync(fd, replaced);
          writeAll(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
      for (const [temp, file] of temps) {
        current = file;
        if (force) {
          renameSync(temp, file);
        } else {
          linkSync(temp, file);
          unlinkSync(temp);
        }
      }
    } catch (error) {
      for (const [temp] of temps) {
        try {
          unlinkSync(temp);
        } catch {
          // renamed already, or never made
        }
      }
      if (error instanceof LrLabError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      // The fix for what went wrong ("free some space" for a folder that vanished read as a riddle).
      const fix = code === 'EFBIG' ? 'Raise the file size limit (ulimit -f) or pick another folder, then run again.'
        : code === 'ENOSPC' || code === 'EDQUOT' ? 'Free some space or pick another folder, then run again.'
          : code === 'ENOENT' || code === 'ENOTDIR' ? `The folder went away while LR Lab ran: give ${flagFor(option)} a path in a folder that exists, then run again.`
            : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `Give ${flagFor(option)} a path in a folder you can write to, then run again.`
              : code === 'EEXIST' ? `A file appeared at that path while LR Lab ran: give ${flagFor(option)} another path (or add --force to replace it), then run again.`
                : 'Pick another folder, then run again.';
      throw new LrLabError('internal', `Could not write ${current}: ${writeFailure(error)}; nothing was written.`, { option, fix, cause: error });
    }
  }

  /** Drops the locks (always, success or not), and a folder the reservation made if it stayed empty. */
  release(): void {
    for (const lock of this.locks) dropLock(lock);
    this.locks.length = 0;
    if (this.made !== null) {
      removeIfEmpty(this.made);
      madeFolders.delete(this.made);
    }
  }
}

/** A write may be short (a file size limit is hit mid-buffer: the next write fails with EFBIG): loop until all is written. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // not empty (the model was saved there), or gone
  }
}

/** The permission bits of the regular file at `file`, or `null` where there is none. */
function existingFileMode(file: string): number | null {
  try {
    const stat = lstatSync(file);
    return stat.isFile() ? stat.mode & 0o7777 : null;
  } catch {
    return null;
  }
}

/** The files a run reads: the model file, its weight files (a model.json) and the CSV; outputs may not replace them. */
export function inputFilesOf(options: { readonly model: string; readonly data?: string | undefined }): string[] {
  const model = path.resolve(options.model);
  const files = [model];
  if (options.data !== undefined) files.push(path.resolve(options.data));
  if (model.toLowerCase().endsWith('.json')) {
    try {
      const manifest = (JSON.parse(readFileSync(model, 'utf8')) as { weightsManifest?: { paths?: unknown }[] }).weightsManifest ?? [];
      for (const group of manifest) for (const shard of Array.isArray(group.paths) ? group.paths : []) if (typeof shard === 'string') files.push(path.resolve(path.dirname(model), shard));
    } catch {
      // unreadable: loading it says why
    }
  }
  return files;
}

/**
 * Builds and writes the reserved files after the work is done; returns what failed instead of
 * throwing, so the caller prints the result first and then the error (exit non-zero).
 */
export function writeOutputs(outputs: Outputs, build: () => ReadonlyMap<string, string | Uint8Array>): LrLabError | null {
  try {
    outputs.commit(build());
    return null;
  } catch (error) {
    return toLrLabError(error);
  }
}

/**
 * An output that could not be written after the work was done: carries the result, so the CLI
 * still prints it (and then says what failed, exiting non-zero). The result is never lost.
 */
export class OutputFailure extends LrLabError {
  constructor(error: LrLabError, readonly result: AnyResult) {
    super(error.code, error.message, { ...(error.fix === null ? {} : { fix: error.fix }), ...(error.option === null ? {} : { option: error.option }), cause: error });
    this.name = 'OutputFailure';
  }
}
