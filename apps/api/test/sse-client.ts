import { createParser, type EventSourceMessage } from "eventsource-parser";

export interface ReadOptions {
  headers?: Record<string, string>;
  /** Stop (and disconnect) after this many events, as a dropped connection would. */
  stopAfter?: number;
}

/** Reads an SSE response into its events; stops at the end of the stream or after `stopAfter`. */
export async function readSse(url: string, options: ReadOptions = {}): Promise<EventSourceMessage[]> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: options.headers ?? {}, signal: controller.signal });
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (options.stopAfter !== undefined && events.length >= options.stopAfter) {
        controller.abort();
        return events.slice(0, options.stopAfter);
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  // Leaving the loop early can end in an abort error that replaces the early return.
  return options.stopAfter === undefined ? events : events.slice(0, options.stopAfter);
}
