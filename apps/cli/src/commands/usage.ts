import { formatTable } from "../table.ts";
import { type ClientEnv, clientFrom } from "./client-commands.ts";

export async function usage(
  env: ClientEnv,
  options: { from?: string; to?: string; groupBy?: string; json?: boolean },
  out: (line: string) => void,
): Promise<void> {
  const query = new URLSearchParams();
  if (options.from !== undefined) query.set("from", options.from);
  if (options.to !== undefined) query.set("to", options.to);
  if (options.groupBy !== undefined) query.set("group_by", options.groupBy);
  const report = await clientFrom(env).usage(query);
  if (options.json) {
    out(JSON.stringify(report, null, 2));
    return;
  }
  const row = (group: string, r: (typeof report)["total"]) => [
    group,
    String(r.jobs),
    String(r.input_tokens),
    String(r.cached_input_tokens),
    String(r.output_tokens),
    String(r.reasoning_tokens),
    `$${r.cost}`,
  ];
  out(`usage ${report.from} → ${report.to}, by ${report.group_by}`);
  out(
    formatTable(
      [report.group_by, "jobs", "input", "cached", "output", "reasoning", "cost"],
      [...report.data.map((r) => row(r.group, r)), row("total", report.total)],
    ),
  );
}
