import { type DatasetError, type DatasetItem, validateItem } from "./dataset-item.ts";

export interface ParseDatasetOptions {
  /** Stop after this many errors (default 100): a wrong file should not produce 100,000 of them. */
  maxErrors?: number;
  /** Refuse a dataset with more items than this (default: no limit). */
  maxItems?: number;
}

export const DEFAULT_MAX_ERRORS = 100;

/**
 * Turns decoded records into items: validation, `line-N` ids, duplicate ids, the error cap.
 * Memory is one map entry per id (duplicates must be found), nothing else per item.
 */
export class ItemCollector {
  readonly errors: DatasetError[] = [];
  /** True once `maxErrors` was reached: parsing stopped there and later problems are unreported. */
  tooManyErrors = false;
  #count = 0;
  #halted = false;
  readonly #firstLine = new Map<string, number>();
  readonly #maxErrors: number;
  readonly #maxItems: number;

  constructor(options: ParseDatasetOptions = {}) {
    this.#maxErrors = Math.max(1, options.maxErrors ?? DEFAULT_MAX_ERRORS);
    this.#maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  }

  /** True when parsing should stop. */
  get stopped(): boolean {
    return this.tooManyErrors || this.#halted;
  }

  /** Stop parsing: what follows cannot be read (a CSV header that is wrong). */
  halt(): void {
    this.#halted = true;
  }

  get count(): number {
    return this.#count;
  }

  error(error: DatasetError): void {
    if (this.tooManyErrors) return;
    this.errors.push(error);
    if (this.errors.length >= this.#maxErrors) this.tooManyErrors = true;
  }

  /** The item, or null when the record had problems (they are recorded). */
  accept(value: unknown, line: number): DatasetItem | null {
    const checked = validateItem(value, line);
    if (!checked.ok) {
      for (const e of checked.errors) this.error(e);
      return null;
    }
    const id = checked.item.id ?? `line-${line}`;
    const first = this.#firstLine.get(id);
    if (first !== undefined) {
      this.error({ line, field: "id", message: `duplicate id "${id}" (first used on line ${first})` });
      return null;
    }
    this.#firstLine.set(id, line);
    this.#count++;
    if (this.#count > this.#maxItems) {
      this.error({ line, field: null, message: `the dataset has more than ${this.#maxItems} items` });
      this.tooManyErrors = true;
      return null;
    }
    return { ...checked.item, id };
  }

  /** Called once at the end. */
  finish(lastLine: number): void {
    if (this.#count === 0 && this.errors.length === 0) {
      this.error({ line: Math.max(1, lastLine), field: null, message: "the dataset has no items" });
    }
  }
}
