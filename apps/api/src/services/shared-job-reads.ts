import { isTerminal } from "@reasonq/core";
import type { JobRow, Store } from "@reasonq/store";

/**
 * Reads of one job's row that are in flight at the same moment share one query. Followers
 * of a job open together and read its row together when it ends (hundreds for a watched
 * job); one query answers them all instead of each holding a pooled connection, which under
 * 10,000 followers ran the pool dry (503s). Nothing is kept once the query returns.
 */
export class SharedJobReads {
  readonly #store: Store;
  readonly #inFlight = new Map<string, Promise<JobRow | undefined>>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** The job's row, or undefined when it does not exist or belongs to another key. */
  async get(id: string, apiKeyId?: string): Promise<JobRow | undefined> {
    let read = this.#inFlight.get(id);
    if (read === undefined) {
      read = this.#store.jobs.get(id).finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, read);
    }
    const row = await read;
    return apiKeyId === undefined || row?.api_key_id === apiKeyId ? row : undefined;
  }

  /**
   * The row of a job announced ended. A shared query may have started before the job's
   * end was committed; a row that is not terminal yet is read again on its own.
   */
  async getEnded(id: string): Promise<JobRow | undefined> {
    const row = await this.get(id);
    return row === undefined || isTerminal(row.status) ? row : this.#store.jobs.get(id);
  }
}
