import { isDatabaseUnavailable } from "@reasonq/store";
import type { Logger } from "pino";

const FIRST_WAIT_MS = 250;
const MAX_WAIT_MS = 5_000;

/**
 * Runs a database write, and while the database is unreachable keeps the result in memory
 * and tries again with backoff until it is written: a finished provider call is paid for
 * and must not be lost to an outage. Errors that are not about reachability pass through.
 */
export async function holdUntilWritten<T>(write: () => Promise<T>, log: Logger, what: string): Promise<T> {
  for (let wait = FIRST_WAIT_MS, announced = false; ; wait = Math.min(MAX_WAIT_MS, wait * 2)) {
    try {
      const written = await write();
      if (announced) log.info({ what }, "database back; held result written");
      return written;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (!announced) log.warn({ err: error, what }, "database unreachable; holding the result until it is back");
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
