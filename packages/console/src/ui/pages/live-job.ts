import { useEffect, useState } from "preact/hooks";
import { getJson, type Job, jobEvents } from "../api.ts";
import { TERMINAL } from "../format.ts";

export interface LiveText {
  attempt: number;
  reasoning: string;
  answer: string;
  usage: Job["usage"];
  cost: Job["cost"];
  /** The stream dropped and is being resumed. */
  reconnecting: boolean;
}

const readJob = (id: string) => getJson<Job>(`/v1/jobs/${encodeURIComponent(id)}?include=attempts,messages`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A job, and while it runs its reasoning and answer as they arrive from the events
 * endpoint. A dropped connection is resumed after the last event id seen, so nothing is
 * shown twice or missed; a new attempt (a retry) clears the text of the earlier one.
 */
export function useLiveJob(id: string) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveText | null>(null);

  useEffect(() => {
    const aborted = new AbortController();
    setJob(null);
    setError(null);
    setLive(null);
    (async () => {
      const first = await readJob(id);
      setJob(first);
      if (TERMINAL.has(first.status)) return;
      let text: LiveText = { attempt: 0, reasoning: "", answer: "", usage: null, cost: null, reconnecting: false };
      let after = "0";
      let backoff = 250;
      while (!aborted.signal.aborted) {
        try {
          for await (const { id: eventId, event } of jobEvents(id, after, aborted.signal)) {
            after = eventId;
            backoff = 250;
            if (event.type === "done") {
              setJob(await readJob(id));
              setLive(null);
              return;
            }
            // Text of an earlier attempt is void once a later one speaks.
            if ("attempt" in event && event.attempt !== text.attempt) {
              text = { ...text, attempt: event.attempt, reasoning: "", answer: "" };
            }
            if (event.type === "status") {
              setJob((current) => (current === null ? current : { ...current, status: event.status }));
            } else if (event.type === "reasoning.delta") {
              text = { ...text, reasoning: text.reasoning + event.text };
            } else if (event.type === "answer.delta") {
              text = { ...text, answer: text.answer + event.text };
            } else if (event.type === "usage") {
              text = { ...text, usage: event.usage, cost: event.cost };
            }
            text = { ...text, reconnecting: false };
            setLive(text);
          }
        } catch (e) {
          if (aborted.signal.aborted) return;
          setError(e);
          return;
        }
        if (aborted.signal.aborted) return;
        text = { ...text, reconnecting: true };
        setLive(text);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    })().catch((e: unknown) => {
      if (!aborted.signal.aborted) setError(e);
    });
    return () => aborted.abort();
  }, [id]);

  return { job, error, live, setJob };
}
