/** Child processes of the bench: TypeScript modules run with tsx, driven over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const here = (file: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), file);

/** Forks a module of this folder; `execArgv` goes before tsx's loader (e.g. --cpu-prof). */
export function forkModule(
  file: string,
  options: { env?: Record<string, string>; execArgv?: string[]; imports?: string[] } = {},
): ChildProcess {
  return fork(here(file), [], {
    cwd: repoRoot,
    execArgv: [
      ...(options.execArgv ?? []),
      '--import',
      'tsx',
      ...(options.imports ?? []).flatMap((i) => ['--import', i]),
    ],
    env: { ...process.env, ...options.env },
    // The children's output goes to stderr: stdout carries only the bench's RESULT lines.
    stdio: ['ignore', 2, 2, 'ipc'],
    serialization: 'advanced',
  });
}

/** The next IPC message that has `key`, or the child's exit as an error. */
export function nextMessage<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!(key in message)) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${child.spawnfile} exited (code ${code}) before answering ${key}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Sends `command` and waits for the answer that carries `key`. */
export function ask<T>(child: ChildProcess, command: unknown, key: string): Promise<T> {
  const answer = nextMessage<T>(child, key);
  child.send(command as never);
  return answer;
}

/** SIGTERM, then waits for the exit (services drain first). */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
