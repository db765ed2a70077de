import { readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** One JSON document read from disk, or why it could not be read. */
export type FileDocument =
  { readonly file: string; readonly json: unknown } | { readonly file: string; readonly error: string };

/**
 * The documents at `target`: the file itself, or every `*.json` file of a directory in name order
 * (dot-entries skipped: a mounted ConfigMap keeps its real files under `..data`, behind symlinks).
 */
export function readDocuments(target: string): FileDocument[] {
  const files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
        .sort()
        .map((name) => path.join(target, name))
    : [target];
  return files.map((file) => {
    try {
      return { file, json: JSON.parse(readFileSync(file, 'utf8')) as unknown };
    } catch (error) {
      return { file, error: (error as Error).message };
    }
  });
}

/**
 * Watches a file or directory and calls `onChange` with its documents now and after every change.
 * Kubernetes updates a mounted ConfigMap by swapping the `..data` symlink of its directory, which a
 * watch on the file itself would miss: the directory (the file's parent, for a file) is watched, and
 * events are debounced so one swap reads once.
 */
export function watchDocuments(
  target: string,
  onChange: (documents: FileDocument[]) => void,
  debounceMs = 100,
): { close(): void } {
  const read = (): void => {
    try {
      onChange(readDocuments(target));
    } catch (error) {
      onChange([{ file: target, error: (error as Error).message }]);
    }
  };
  read();
  const directory = statSync(target).isDirectory() ? target : path.dirname(target);
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(directory, () => {
    clearTimeout(timer);
    timer = setTimeout(read, debounceMs);
  });
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
