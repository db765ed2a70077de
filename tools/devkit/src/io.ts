// HTTP requests with a timeout and an optional bearer token; JSON and atomic file writes.
import fs from 'node:fs';
import path from 'node:path';

export interface HttpOptions {
  token?: string | undefined;
  timeoutMs?: number;
}

export async function httpGet(
  url: string,
  { token, timeoutMs = 3000 }: HttpOptions = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

export async function httpJson(
  method: string,
  url: string,
  body: unknown,
  { token, timeoutMs = 5000 }: HttpOptions = {},
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, text: await res.text() };
}

/** Parsed JSON of a file, or null when it is missing or not JSON. The caller names the shape. */
export function readJsonFile<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function writeFileAtomic(file: string, content: string | Uint8Array, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content, mode ? { mode } : undefined);
  fs.renameSync(tmp, file);
}
