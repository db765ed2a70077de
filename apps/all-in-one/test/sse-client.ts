/** A minimal Server-Sent Events reader over fetch, for tests that watch `/v1/tail`. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

export interface SseStream {
  readonly events: SseEvent[];
  /** Resolves once the server sent the response head (the subscription exists from then on). */
  readonly ready: Promise<void>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string>): SseStream {
  const events: SseEvent[] = [];
  const controller = new AbortController();
  const ready = (async () => {
    const response = await fetch(url, { headers, signal: controller.signal });
    if (!response.ok || !response.body)
      throw new Error(`tail failed: ${response.status} ${await response.text()}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    // The first chunk is the ": tailing <topic>" comment, written after the subscription exists.
    const first = await reader.read();
    buffer += first.value ?? '';
    void (async () => {
      try {
        for (;;) {
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length > 0) events.push({ event, data: data.join('\n') });
          }
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
        }
      } catch {
        // aborted by close()
      }
    })();
  })();
  return { events, ready, close: () => controller.abort() };
}
