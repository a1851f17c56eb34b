import { Command } from "commander";
import { ApiError } from "./client.ts";
import type { ClientEnv } from "./commands/client-commands.ts";
import { DEFAULT_DATA_DIR } from "./credentials.ts";

// Every command loads its own modules when it runs (dynamic imports), so `--help` and the
// client commands never load the server (SDKs, the database, Fastify): see bench/cli-start.ts.

const out = (line: string) => process.stdout.write(`${line}\n`);

/** The only place the CLI reads the environment; the server's config is parsed only by server commands. */
async function config(port?: string) {
  const { parseConfig } = await import("@reasonq/core");
  return parseConfig(port === undefined ? process.env : { ...process.env, PORT: port });
}

function clientEnv(): ClientEnv {
  return {
    REASONQ_URL: process.env.REASONQ_URL,
    REASONQ_API_KEY: process.env.REASONQ_API_KEY,
    dataDir: process.env.REASONQ_DATA_DIR ?? DEFAULT_DATA_DIR,
  };
}

const clientCommands = () => import("./commands/client-commands.ts");

function progressOutput() {
  const interactive = process.stderr.isTTY === true;
  return {
    interactive,
    out,
    progress: (line: string) => process.stderr.write(interactive ? `\r${line}` : `${line}\n`),
  };
}

const program = new Command()
  .name("reasonq")
  .description("Durable LLM reasoning jobs: reasoning and answers stored side by side, every token's cost known")
  .showHelpAfterError();

program
  .command("serve")
  .description("API, worker and web console in one process, embedded database, Redis started if none answers")
  .option("--port <port>", "overrides PORT")
  .action(async (opts: { port?: string }) => {
    const { serve } = await import("./commands/serve.ts");
    await serve(await config(opts.port), process.env, out);
  });

program
  .command("api")
  .description("the HTTP API alone (production; needs DATABASE_URL)")
  .option("--port <port>", "overrides PORT")
  .action(async (opts: { port?: string }) => {
    const { api } = await import("./commands/processes.ts");
    await api(await config(opts.port), process.env, out);
  });

program
  .command("worker")
  .description("a job worker alone (production; needs DATABASE_URL)")
  .action(async () => {
    const { worker } = await import("./commands/processes.ts");
    await worker(await config(), process.env);
  });

program
  .command("submit")
  .description("submit a reasoning job")
  .argument("<prompt>", "the user message")
  .option("-m, --model <model>", "provider/model or a bare name", "sim/reasoner")
  .option("--effort <effort>", "minimal|low|medium|high|xhigh|max")
  .option("--budget <tokens>", "reasoning budget in tokens (instead of --effort)")
  .option("--max-output-tokens <tokens>", "cap on all output, reasoning included")
  .option("--system <text>", "system message")
  .option("--wait <seconds>", "wait for the job to finish")
  .option("--json", "print the job as JSON")
  .action(async (prompt: string, opts) => (await clientCommands()).submit(clientEnv(), prompt, opts, out));

program
  .command("get")
  .description("show a job")
  .argument("<id>", "job id")
  .option("--wait <seconds>", "wait for the job to finish")
  .option("--json", "print the job as JSON")
  .action(async (id: string, opts) => (await clientCommands()).get(clientEnv(), id, opts, out));

program
  .command("watch")
  .description("show a job live: its reasoning, then its answer, then usage and spend")
  .argument("<id>", "job id")
  .action(async (id: string) => {
    const [{ watch }, { clientFrom }] = await Promise.all([import("./commands/watch.ts"), clientCommands()]);
    const job = await watch(clientFrom(clientEnv()), id, {
      write: (text) => process.stdout.write(text),
      color: process.stdout.isTTY === true,
    });
    process.exitCode = job.status === "succeeded" ? 0 : 1;
  });

program
  .command("models")
  .description("the model catalog: reasoning controls and prices per million tokens")
  .option("--json", "print the API's JSON")
  .action(async (opts: { json?: boolean }) => {
    const { models } = await import("./commands/models.ts");
    await models(clientEnv(), opts, out);
  });

program
  .command("eval")
  .description("run a dataset across models and reasoning settings; print the summary, write the report")
  .argument("<dataset>", "a .jsonl or .csv file of items (prompt, expected, choices…)")
  .requiredOption("--models <list>", "comma-separated models, e.g. sim/reasoner,sim/hasty")
  .option("--effort <list>", "comma-separated efforts, e.g. low,high")
  .option("--budget <list>", "comma-separated reasoning budgets in tokens")
  .option("--repeats <n>", "runs per item and variant (pass@k, majority vote)")
  .option("--scorer <type>", "exact|includes|regex|numeric|choice|json_schema (default: inferred)")
  .option("--tolerance <x>", "numeric scorer tolerance")
  .option("--pattern <regex>", "regex scorer pattern")
  .option("--max-cost <usd>", "stop starting jobs once this much could be spent")
  .option("--name <name>", "batch name")
  .option("--out <file>", "where to write the HTML report")
  .option("--min-accuracy <x>", "exit 1 when a variant's accuracy is below this (0..1)")
  .option(
    "--lane <lane>",
    "interactive (default) or provider-batch: through the providers' batch APIs at half price (OpenAI, Anthropic, Gemini), results later",
  )
  .action(async (dataset: string, opts) => {
    const { runEval } = await import("./commands/eval.ts");
    process.exitCode = await runEval(clientEnv(), dataset, opts, progressOutput());
  });

program
  .command("usage")
  .description("tokens and cost from the usage ledger")
  .option("--from <date>", "start (ISO date or time; default 30 days ago)")
  .option("--to <date>", "end (default now)")
  .option("--group-by <g>", "model|provider|day|key", "model")
  .option("--json", "print the API's JSON")
  .action(async (opts) => {
    const { usage } = await import("./commands/usage.ts");
    await usage(clientEnv(), opts, out);
  });

program
  .command("keys")
  .description("API keys, directly in the database: create | list | revoke <id> | cap <id> <usd|none>")
  .argument("<action>", "create, list, revoke or cap")
  .argument("[args...]", "the key id (and the cap)")
  .option("--name <name>", "name of a new key")
  .option("--spend-cap <usd>", "spend cap of a new key")
  .action(async (action: string, args: string[], opts: { name?: string; spendCap?: string }) => {
    const { keys } = await import("./commands/keys.ts");
    await keys(await config(), action, args, opts, out);
  });

program
  .command("mock-providers")
  .description("mock servers for every provider family on loopback; prints the environment that points reasonq at them")
  .option("--port-base <n>", "first port; families take consecutive ports (0: any free ports)", "8800")
  .action(async (opts: { portBase: string }) => {
    const { mockProviders } = await import("./commands/mock-providers.ts");
    await mockProviders(opts, out);
  });

program
  .command("log")
  .description("calls made to providers elsewhere, kept and priced beside your jobs")
  .command("import")
  .description("stream a JSONL file of exchanges ({request, response, …} per line) to POST /v1/logs")
  .argument("<file.jsonl>", "one exchange per line")
  .action(async (file: string) => {
    const { logImport } = await import("./commands/log-import.ts");
    process.exitCode = await logImport(clientEnv(), file, progressOutput());
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`reasonq: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ApiError && error.status < 500 ? 2 : 1);
});
