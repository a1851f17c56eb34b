import type { JobRow, Store } from "@reasonq/store";
import { describe, expect, it } from "vitest";
import { SharedJobReads } from "./shared-job-reads.ts";

/** A store whose row reads wait until the test answers them, counting each query. */
function heldStore() {
  const pending: Array<(row: JobRow | undefined) => void> = [];
  const store = {
    jobs: {
      get: (_id: string) =>
        new Promise<JobRow | undefined>((resolve) => {
          pending.push(resolve);
        }),
    },
  } as unknown as Store;
  return { store, pending };
}

const row = (status: string, apiKeyId = "key_a") => ({ id: "job_1", status, api_key_id: apiKeyId }) as JobRow;

describe("shared job reads", () => {
  it("answers reads in flight together with one query, and starts a new one after it returns", async () => {
    const { store, pending } = heldStore();
    const reads = new SharedJobReads(store);
    const together = [reads.get("job_1"), reads.get("job_1", "key_a"), reads.get("job_1", "key_b")];
    expect(pending).toHaveLength(1);
    pending[0]?.(row("running"));
    const [plain, owner, other] = await Promise.all(together);
    expect([plain?.status, owner?.status, other]).toEqual(["running", "running", undefined]);
    const later = reads.get("job_1");
    expect(pending).toHaveLength(2);
    pending[1]?.(row("succeeded"));
    expect((await later)?.status).toBe("succeeded");
  });

  it("reads an ended job again on its own when the shared query saw it before its end", async () => {
    const { store, pending } = heldStore();
    const reads = new SharedJobReads(store);
    const before = reads.get("job_1");
    const ended = reads.getEnded("job_1");
    pending[0]?.(row("running"));
    await before;
    await Promise.resolve();
    expect(pending).toHaveLength(2);
    pending[1]?.(row("succeeded"));
    expect((await ended)?.status).toBe("succeeded");
  });
});
