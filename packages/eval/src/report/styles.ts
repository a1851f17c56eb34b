/** The report's only stylesheet: system fonts, no external resources. */
export const REPORT_CSS = `
:root {
  --ink: #0f172a; --ink-2: #334155; --muted: #64748b; --line: #e2e8f0; --panel: #ffffff;
  --page: #f6f7fb; --accent: #4f46e5; --good: #059669; --bad: #dc2626; --warn: #d97706;
  --radius: 12px; --shadow: 0 1px 2px rgba(15, 23, 42, .06), 0 4px 16px rgba(15, 23, 42, .04);
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--page); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
main { max-width: 1240px; margin: 0 auto; padding: 32px 28px 56px; }
header.top { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 12px 24px; margin-bottom: 20px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; font-weight: 700; color: var(--accent); margin: 0 0 4px; }
h1 { font-size: 26px; line-height: 1.2; margin: 0; letter-spacing: -.01em; }
h2 { font-size: 16px; margin: 0 0 2px; }
h3 { font-size: 13px; margin: 14px 0 6px; color: var(--ink-2); text-transform: uppercase; letter-spacing: .05em; }
.meta { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
.meta code { font-size: 12px; background: #eef2ff; color: #3730a3; padding: 1px 6px; border-radius: 6px; }
.status { display: inline-block; padding: 3px 10px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #e0e7ff; color: #3730a3; }
.status.succeeded, .status.completed { background: #d1fae5; color: #065f46; }
.status.failed, .status.cancelled { background: #fee2e2; color: #991b1b; }
.headline { background: linear-gradient(135deg, #eef2ff, #f5f3ff); border: 1px solid #e0e7ff; border-radius: var(--radius); padding: 14px 18px; margin: 0 0 18px; font-size: 15px; color: #1e1b4b; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-bottom: 18px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 14px 16px; box-shadow: var(--shadow); }
.card .k { font-size: 12px; color: var(--muted); font-weight: 600; }
.card .v { font-size: 22px; font-weight: 700; margin-top: 2px; letter-spacing: -.01em; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f5f9; padding: 0 4px; border-radius: 4px; }
.card .s { font-size: 12px; color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 18px 20px; margin-bottom: 18px; }
.panel-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; margin-bottom: 10px; }
.hint { color: var(--muted); font-size: 12.5px; margin: 0; }
.grid2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px; }
.grid2 > section.panel { margin-bottom: 0; }
.grid2 + * { margin-top: 18px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
.chart { position: relative; height: 340px; }
.chart.tall { height: var(--chart-height, 340px); }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 700; padding: 8px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 9px 10px; border-bottom: 1px solid #f1f5f9; vertical-align: top; }
tbody tr:hover { background: #f8fafc; }
td.num, th.num { text-align: right; white-space: nowrap; }
.sub { display: block; color: var(--muted); font-size: 12px; }
.variant { display: flex; align-items: center; gap: 8px; font-weight: 600; white-space: nowrap; }
.swatch { width: 10px; height: 10px; border-radius: 3px; flex: none; }
.badge { display: inline-block; font-size: 10.5px; font-weight: 700; letter-spacing: .03em; padding: 1px 7px; border-radius: 999px; background: #ecfdf5; color: #047857; border: 1px solid #a7f3d0; }
.badge.best { background: #eef2ff; color: #4338ca; border-color: #c7d2fe; }
.sub.inline { display: inline; }
.badges { margin: 3px 0 0 18px; display: flex; gap: 4px; flex-wrap: wrap; }
.badges:empty { display: none; }
.acc { min-width: 130px; }
.acc-top { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
.acc b { font-size: 14px; }
.ci-bar { position: relative; height: 6px; background: #f1f5f9; border-radius: 3px; margin: 5px 0 2px; }
.ci-bar .range { position: absolute; top: 0; bottom: 0; border-radius: 3px; opacity: .35; }
.ci-bar .point { position: absolute; top: -2px; width: 3px; height: 10px; border-radius: 2px; transform: translateX(-1px); }
.mix { display: flex; flex-wrap: wrap; gap: 4px; }
td.outcomes { min-width: 120px; }
table.summary td, table.summary th { padding-left: 8px; padding-right: 8px; }
.pill { font-size: 11.5px; padding: 1px 7px; border-radius: 999px; background: #f1f5f9; color: var(--ink-2); white-space: nowrap; }
.pill.ok { background: #ecfdf5; color: #047857; }
.pill.trunc { background: #fffbeb; color: #b45309; }
.pill.refused { background: #f5f3ff; color: #6d28d9; }
.pill.failed { background: #fef2f2; color: #b91c1c; }
.verdict { font-weight: 700; }
.verdict.yes { color: var(--good); }
.verdict.no { color: var(--bad); }
.verdict.na { color: var(--muted); }
.prompt-cell { max-width: 460px; }
tbody.item:hover { background: #f8fafc; }
tbody.item tr:hover { background: transparent; }
tr.item-main td { border-bottom: none; padding-bottom: 2px; }
tr.item-detail td { padding-top: 0; }
.clip { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; color: var(--ink-2); }
details { margin-top: 2px; }
summary { cursor: pointer; color: var(--accent); font-weight: 600; font-size: 12.5px; list-style: none; display: inline-flex; align-items: center; gap: 4px; }
summary::-webkit-details-marker { display: none; }
summary::before { content: "▸"; transition: transform .15s; display: inline-block; }
details[open] summary::before { transform: rotate(90deg); }
.reveal { margin-top: 8px; border-left: 3px solid #c7d2fe; padding: 2px 0 6px 14px; display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 4px 18px; }
@media (max-width: 900px) { .reveal { grid-template-columns: 1fr; } }
.reveal h4 { margin: 8px 0 4px; font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12.5px/1.55 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f8fafc; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; max-height: 420px; overflow: auto; }
pre.reasoning { background: #fbfaff; border-color: #e0e7ff; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; text-align: center; }
@media print { body { background: #fff; } section.panel, .card { box-shadow: none; } }
`;
