import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { itemPrompt, itemPromptText } from "./item-prompt.ts";
import { datasetFormatOf, loadDatasetFile } from "./load-dataset-file.ts";
import { type DatasetFormat, parseDataset, parseDatasetLines } from "./parse-dataset.ts";

async function* linesOf(text: string) {
  for (const line of text.split(/\r?\n/)) yield line;
}

async function streamed(text: string, format: DatasetFormat, options = {}) {
  const stream = parseDatasetLines(linesOf(text), format, options);
  const items = [];
  for await (const item of stream) items.push(item);
  return { items, errors: [...stream.errors], tooManyErrors: stream.tooManyErrors };
}

describe("JSONL", () => {
  it("parses items, assigns line ids and skips blank lines", () => {
    const text =
      '{"id":"q1","prompt":"What is 2+2?","expected":"4"}\n\n{"prompt":"Hi","expected":4}\n{"id":7,"messages":[{"role":"user","content":"x"}]}\n';
    const { items, errors } = parseDataset(text, "jsonl");
    expect(errors).toEqual([]);
    expect(items.map((i) => i.id)).toEqual(["q1", "line-3", "7"]);
    expect(items[1]?.expected).toBe(4);
  });

  it("collects every problem with its line and field", () => {
    const text = [
      '{"id":"a","prompt":"ok"}',
      "not json",
      "[1,2]",
      '{"id":"a","prompt":"dup"}',
      '{"prompt":"x","answer":"4"}',
      '{"prompt":""}',
      '{"messages":[{"role":"robot","content":"x"}]}',
      '{"prompt":"p","messages":[{"role":"user","content":"x"}]}',
      '{"prompt":"p","choices":["1","2"],"expected":"C"}',
      '{"prompt":"p","metadata":{"k":5}}',
    ].join("\n");
    const { items, errors } = parseDataset(text, "jsonl");
    expect(items.map((i) => i.id)).toEqual(["a"]);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [2, null],
      [3, null],
      [4, "id"],
      [5, "answer"],
      [6, "prompt"],
      [7, "messages[0].role"],
      [8, "prompt"],
      [9, "expected"],
      [10, "metadata.k"],
    ]);
    expect(errors[0]?.message).toMatch(/^not valid JSON/);
    expect(errors[1]?.message).toBe("each line must be a JSON object, not an array");
    expect(errors[2]?.message).toBe('duplicate id "a" (first used on line 1)');
    expect(errors[3]?.message).toBe('unknown field "answer" (did you mean "expected"?)');
    expect(errors[6]?.message).toBe("give exactly one of prompt or messages");
    expect(errors[7]?.message).toContain("letter A-B");
  });

  it("stops at maxErrors and refuses an empty file or too many items", () => {
    const bad = Array.from({ length: 50 }, () => "nope").join("\n");
    const capped = parseDataset(bad, "jsonl", { maxErrors: 5 });
    expect(capped.errors).toHaveLength(5);
    expect(capped.tooManyErrors).toBe(true);
    expect(parseDataset("\n\n", "jsonl").errors).toEqual([
      { line: 2, field: null, message: "the dataset has no items" },
    ]);
    const many = parseDataset('{"prompt":"a"}\n{"prompt":"b"}\n{"prompt":"c"}', "jsonl", { maxItems: 2 });
    expect(many.errors).toEqual([{ line: 3, field: null, message: "the dataset has more than 2 items" }]);
  });

  it("accepts a BOM and CRLF line ends", () => {
    const { items, errors } = parseDataset('\uFEFF{"prompt":"a"}\r\n{"prompt":"b"}\r\n', "jsonl");
    expect(errors).toEqual([]);
    expect(items).toHaveLength(2);
  });

  it("streams the same items and errors", async () => {
    const text = '{"id":"a","prompt":"x"}\nbad\n{"id":"a","prompt":"y"}\n{"prompt":"z"}';
    const whole = parseDataset(text, "jsonl");
    const stream = await streamed(text, "jsonl");
    expect(stream).toEqual(whole);
  });

  it("is linear: 100,000 items parse quickly", () => {
    const lines = Array.from(
      { length: 100_000 },
      (_, i) => `{"id":"q${i}","prompt":"What is ${i}+1?","expected":"${i + 1}"}`,
    );
    const started = performance.now();
    const { items, errors } = parseDataset(lines.join("\n"), "jsonl");
    expect(errors).toEqual([]);
    expect(items).toHaveLength(100_000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("CSV", () => {
  it("handles quotes, escaped quotes and newlines inside quotes, with start lines", () => {
    const text = 'id,prompt,expected\n\nq1,"What is ""2+2""?\nThink.",4\nq2,plain,\n';
    const { items, errors } = parseDataset(text, "csv");
    expect(errors).toEqual([]);
    expect(items).toEqual([
      { id: "q1", prompt: 'What is "2+2"?\nThink.', expected: "4" },
      { id: "q2", prompt: "plain" },
    ]);
    const lines = parseDataset('prompt,expected\n"a\nb",1\n"c\nd"\n', "csv");
    expect(lines.errors).toEqual([{ line: 4, field: null, message: "expected 2 fields as in the header, found 1" }]);
  });

  it("reads choices from a column or from A/B/C columns, and metadata columns", () => {
    const json = parseDataset('prompt,choices,expected\nPick,"[""x"",""y""]",B\nPick,x|y|z,A\n', "csv");
    expect(json.errors).toEqual([]);
    expect(json.items.map((i) => i.choices)).toEqual([
      ["x", "y"],
      ["x", "y", "z"],
    ]);
    const mmlu = parseDataset("prompt,A,B,C,D,expected,metadata.subject\nQ,1,2,3,,C,math\n", "csv");
    expect(mmlu.errors).toEqual([]);
    expect(mmlu.items[0]).toEqual({
      id: "line-2",
      prompt: "Q",
      choices: ["1", "2", "3"],
      expected: "C",
      metadata: { subject: "math" },
    });
  });

  it("reports header problems and bad rows by line and column", () => {
    const { errors } = parseDataset("question,answer\nq,4\n", "csv");
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [1, "question"],
      [1, "answer"],
      [1, "prompt"],
    ]);
    const rows = parseDataset('id,prompt,expected\nx,"ok",1\nx,again,2\n,,3\n', "csv");
    expect(rows.errors).toEqual([
      { line: 3, field: "id", message: 'duplicate id "x" (first used on line 2)' },
      { line: 4, field: "prompt", message: "give exactly one of prompt or messages" },
    ]);
  });

  it("reports an unclosed quote where its record starts", () => {
    const { items, errors } = parseDataset('prompt\nfine\n"never closed\nmore\n', "csv");
    expect(items).toHaveLength(1);
    expect(errors).toEqual([{ line: 3, field: null, message: "CSV: a quoted field that starts here is never closed" }]);
  });

  it("needs a header", () => {
    expect(parseDataset("", "csv").errors).toEqual([{ line: 1, field: null, message: "the CSV has no header row" }]);
    expect(parseDataset("prompt\n", "csv").errors[0]?.message).toBe("the dataset has no items");
  });

  it("streams the same items and errors, multi-line fields included", async () => {
    const text = 'id,prompt,expected\nq1,"multi\nline ""quoted""",1\nq1,dup,2\nq3,"x",3\n"open';
    const whole = parseDataset(text, "csv");
    expect(whole.items.map((i) => i.id)).toEqual(["q1", "q3"]);
    expect(await streamed(text, "csv")).toEqual(whole);
  });

  it("stops a stream at maxErrors without hanging the feeder", async () => {
    const text = ["prompt,expected", ...Array.from({ length: 5000 }, () => ",x")].join("\n");
    const result = await streamed(text, "csv", { maxErrors: 3 });
    expect(result.errors).toHaveLength(3);
    expect(result.tooManyErrors).toBe(true);
  });
});

describe("dataset files", () => {
  const dir = mkdtempSync(join(tmpdir(), "reasonq-eval-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("streams a file and infers its format from the name", async () => {
    const path = join(dir, "set.csv");
    writeFileSync(path, 'prompt,expected\r\n"What is\r\n2+2?",4\r\n');
    expect(datasetFormatOf(path)).toBe("csv");
    expect(datasetFormatOf("x.ndjson")).toBe("jsonl");
    expect(datasetFormatOf("x.txt")).toBeNull();
    const items = [];
    for await (const item of loadDatasetFile(path)) items.push(item);
    expect(items).toEqual([{ id: "line-2", prompt: "What is\n2+2?", expected: "4" }]);
    expect(() => loadDatasetFile(join(dir, "x.txt"))).toThrow(/cannot tell the format/);
  });
});

describe("itemPrompt", () => {
  it("appends lettered options to the prompt or the last user message", () => {
    expect(itemPrompt({ id: "1", prompt: "Which is 6*7?", choices: ["41", "42"] })).toEqual({
      prompt: "Which is 6*7?\nA) 41\nB) 42\nAnswer with the letter of the correct option.",
    });
    const asked = itemPrompt({
      id: "2",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Pick" }] },
      ],
      choices: ["x", "y"],
    });
    expect(asked).toEqual({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Pick\nA) x\nB) y\nAnswer with the letter of the correct option." },
      ],
    });
    expect(itemPrompt({ id: "3", prompt: "plain" })).toEqual({ prompt: "plain" });
    expect(itemPromptText({ id: "4", messages: [{ role: "user", content: "hi" }] })).toBe("user: hi");
  });
});
