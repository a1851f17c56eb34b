/** Raw BullMQ with a no-op processor: the ceiling a job queue on this Redis reaches. */
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { type Latency, latency, round } from "../lib/stats.ts";

const JOB_OPTIONS = { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 3600 } };

function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Queues `count` jobs, then times a worker of `concurrency` draining them. */
export async function bullmqDrain(
  url: string,
  prefix: string,
  count: number,
  concurrency: number,
): Promise<{ jobs: number; seconds: number; jobs_per_second: number }> {
  const producer = connect(url);
  const queue = new Queue("drain", { connection: producer, prefix });
  for (let i = 0; i < count; i += 500) {
    const n = Math.min(500, count - i);
    await queue.addBulk(
      Array.from({ length: n }, (_, k) => ({
        name: "run",
        data: { v: 1, jobId: `job_${i + k}` },
        opts: { ...JOB_OPTIONS, jobId: `job_${i + k}` },
      })),
    );
  }
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const started = performance.now();
  const worker = new Worker("drain", async () => {}, { connection: connect(url), prefix, concurrency });
  worker.on("completed", () => {
    if (++done === count) finish();
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  producer.disconnect();
  return { jobs: count, seconds: round(seconds, 3), jobs_per_second: round(count / seconds, 1) };
}

/** One job at a time: from `add` being called to the processor starting. */
export async function bullmqAddToStart(url: string, prefix: string, count: number): Promise<Latency> {
  const producer = connect(url);
  const queue = new Queue("latency", { connection: producer, prefix });
  let started: (at: number) => void = () => {};
  const worker = new Worker(
    "latency",
    async () => {
      started(performance.now());
    },
    { connection: connect(url), prefix, concurrency: 1 },
  );
  await worker.waitUntilReady();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Promise<number>((resolve) => {
      started = resolve;
    });
    const t0 = performance.now();
    await queue.add("run", { v: 1, jobId: `lat_${i}` }, { ...JOB_OPTIONS, jobId: `lat_${i}` });
    samples.push((await at) - t0);
  }
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  producer.disconnect();
  return latency(samples);
}
