// Small helpers every dev tool needs: logging, formatting, error inspection.

export const LOOPBACK = '127.0.0.1';

export type Log = (message: string) => void;

export function now(): number {
  return performance.now();
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '?';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function fmtBytes(b: number | null | undefined): string {
  if (b == null) return '?';
  return `${(b / 1024 / 1024).toFixed(0)} MiB`;
}

export function noopLog(): void {}

export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e
    ? String((e as { code: unknown }).code)
    : undefined;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function splitOpts(s: string | undefined): string[] {
  return (s || '').split(/\s+/).filter(Boolean);
}
