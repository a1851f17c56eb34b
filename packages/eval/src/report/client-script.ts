import type { ChartData } from "./chart-data.ts";
import type { ChartLibrary, ChartPlugins, PageDocument } from "./client-types.ts";

/**
 * The script that runs in the report page. It is embedded with `Function.prototype.toString`,
 * so it is type-checked and linted like the rest of the package but must stay
 * self-contained: it may use its parameters and nothing else from this module (type
 * annotations are fine; they are erased).
 */
export function drawCharts(
  Chart: ChartLibrary,
  data: ChartData,
  doc: PageDocument,
  makePlugins: (font: string, ink: string) => ChartPlugins,
): void {
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  const INK = "#334155";
  const GRID = "rgba(148, 163, 184, 0.25)";
  Chart.defaults.font.family = FONT;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#475569";
  Chart.defaults.borderColor = GRID;
  Chart.defaults.animation = false;
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.legend.labels.pointStyleWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 8;
  Chart.defaults.plugins.legend.labels.padding = 14;
  Chart.defaults.plugins.tooltip.backgroundColor = "rgba(15, 23, 42, 0.92)";
  Chart.defaults.plugins.tooltip.padding = 10;

  const percent = (v: number) => `${v.toFixed(1)}%`;
  const dollars = (v: number) => {
    if (v === 0) return "$0";
    if (v >= 1) return `$${v.toFixed(2)}`;
    return `$${Number(v.toPrecision(2))
      .toFixed(12)
      .replace(/\.?0+$/, "")}`;
  };
  const alpha = (color: string, a: number) => color.replace(/\)$/, ` / ${a})`);

  const { errorBars, pointLabels, boxes } = makePlugins(FONT, INK);

  const draw = (id: string, config: Record<string, unknown>) => {
    const container = doc.getElementById(id);
    const canvas = container?.querySelector("canvas");
    if (container == null || canvas == null) return;
    new Chart(canvas, config);
    container.setAttribute("data-drawn", "true");
  };

  const plotted = data.variants.filter((v) => v.accuracy !== null && v.cost !== null);
  const costs = plotted.map((v) => v.cost as number).filter((c) => c > 0);
  const logCost = costs.length > 1 && Math.max(...costs) / Math.min(...costs) > 20;
  const costMax = costs.length === 0 ? 1 : Math.max(...costs);
  const costMin = costs.length === 0 ? 0 : Math.min(...costs);
  /** On a log axis only 1, 2 and 5 × 10^k are labelled, so labels never run into each other. */
  const costTick = (value: number) => {
    if (!logCost) return dollars(value);
    const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
    return [1, 2, 5].some((k) => Math.abs(mantissa - k) < 1e-6 * k) ? dollars(value) : "";
  };
  const byId = new Map(data.variants.map((v) => [v.id, v]));
  const frontier = data.frontier
    .map((id) => byId.get(id))
    .filter((v) => v !== undefined && v.cost !== null && v.accuracy !== null)
    .map((v) => ({ x: v?.cost as number, y: v?.accuracy as number }));

  draw("chart-cost-accuracy", {
    type: "scatter",
    data: {
      datasets: [
        ...plotted.map((v) => ({
          label: v.label,
          data: [{ x: v.cost, y: v.accuracy }],
          errorBars: [v.ci],
          pointLabel: plotted.length <= 12 ? v.label : undefined,
          backgroundColor: v.color,
          borderColor: v.color,
          errorColor: alpha(v.color, 0.8),
          pointRadius: data.frontier.includes(v.id) ? 7 : 5,
          pointHoverRadius: 9,
          pointStyle: data.frontier.includes(v.id) ? "rectRot" : "circle",
        })),
        {
          type: "line",
          label: "cost–accuracy frontier",
          data: frontier,
          borderColor: "rgba(15, 23, 42, 0.55)",
          backgroundColor: "rgba(15, 23, 42, 0.55)",
          borderDash: [6, 5],
          borderWidth: 1.5,
          pointRadius: 0,
          pointStyle: "line",
          fill: false,
          order: 1,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      layout: { padding: { top: 8, right: 16 } },
      scales: {
        x: {
          type: logCost ? "logarithmic" : "linear",
          min: logCost ? costMin / 1.8 : 0,
          max: logCost ? costMax * 1.8 : costMax * 1.15,
          title: { display: true, text: `Mean cost per item (USD${logCost ? ", log scale" : ""})`, color: INK },
          ticks: { callback: (value: number) => costTick(Number(value)), autoSkip: !logCost, maxRotation: 0 },
        },
        y: {
          min: 0,
          max: 100,
          title: { display: true, text: "Accuracy (95% Wilson interval)", color: INK },
          ticks: { callback: (value: number) => `${value}%` },
        },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: (item: {
              dataset: { label: string; errorBars?: Array<[number, number] | null> };
              parsed: { x: number; y: number };
            }) => {
              const ci = item.dataset.errorBars?.[0];
              const interval = ci === null || ci === undefined ? "" : ` [${percent(ci[0])} – ${percent(ci[1])}]`;
              return `${item.dataset.label}: ${percent(item.parsed.y)}${interval} at ${dollars(item.parsed.x)} per item`;
            },
          },
        },
      },
    },
    plugins: [errorBars, pointLabels],
  });

  // Settings sit at 0, 1, 2, … on a linear axis so each model's points can be nudged
  // sideways and their error bars do not cover each other.
  const dodge = (m: number) => (data.models.length < 2 ? 0 : (m - (data.models.length - 1) / 2) * 0.07);
  draw("chart-accuracy-setting", {
    type: "line",
    data: {
      datasets: data.models.map((m, mi) => {
        const mine = data.variants.filter((v) => v.model === m.model && v.accuracy !== null);
        const points = data.settings.flatMap((s, si) => {
          const v = mine.find((candidate) => candidate.setting === s);
          return v === undefined ? [] : [{ x: si + dodge(mi), y: v.accuracy as number, ci: v.ci }];
        });
        return {
          label: m.model,
          data: points.map((p) => ({ x: p.x, y: p.y })),
          errorBars: points.map((p) => p.ci),
          borderColor: m.color,
          backgroundColor: m.color,
          pointRadius: 5,
          pointHoverRadius: 7,
          borderWidth: 2.5,
          tension: 0,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      layout: { padding: { top: 8 } },
      scales: {
        x: {
          type: "linear",
          min: -0.5,
          max: data.settings.length - 0.5,
          title: { display: true, text: "Reasoning effort / budget", color: INK },
          grid: { display: false },
          afterBuildTicks: (axis: { ticks: Array<{ value: number }> }) => {
            axis.ticks = data.settings.map((_, i) => ({ value: i }));
          },
          ticks: { callback: (value: number) => data.settings[Math.round(value)] ?? "" },
        },
        y: {
          min: 0,
          max: 100,
          title: { display: true, text: "Accuracy (95% Wilson interval)", color: INK },
          ticks: { callback: (value: number) => `${value}%` },
        },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            title: (items: Array<{ parsed: { x: number } }>) =>
              data.settings[Math.round(items[0]?.parsed.x ?? 0)] ?? "",
            label: (item: {
              dataset: { label: string; errorBars: Array<[number, number] | null> };
              dataIndex: number;
              parsed: { y: number };
            }) => {
              const ci = item.dataset.errorBars[item.dataIndex];
              const interval = ci === null || ci === undefined ? "" : ` [${percent(ci[0])} – ${percent(ci[1])}]`;
              return `${item.dataset.label}: ${percent(item.parsed.y)}${interval}`;
            },
          },
        },
      },
    },
    plugins: [errorBars],
  });

  const withTokens = data.variants;
  const tokenMax = Math.max(1, ...withTokens.map((v) => v.box?.max ?? 0));
  draw("chart-reasoning-tokens", {
    type: "bar",
    data: {
      labels: withTokens.map((v) => v.label),
      datasets: [
        {
          label: "interquartile range",
          data: withTokens.map((v) => (v.box === null ? null : [v.box.q1, Math.max(v.box.q3, v.box.q1 + 0.001)])),
          boxes: withTokens.map((v) => v.box),
          backgroundColor: withTokens.map((v) => alpha(v.color, 0.35)),
          borderColor: withTokens.map((v) => v.color),
          borderWidth: 1.5,
          borderSkipped: false,
          barPercentage: 0.55,
          categoryPercentage: 0.9,
        },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: {
          beginAtZero: true,
          suggestedMax: tokenMax * 1.04,
          title: { display: true, text: "Reasoning tokens per answer", color: INK },
        },
        y: { grid: { display: false } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item: { dataIndex: number }) => {
              const box = withTokens[item.dataIndex]?.box;
              if (box === null || box === undefined) return "no usage reported";
              const n = (v: number) => Math.round(v).toLocaleString("en-US");
              return `min ${n(box.min)} · q1 ${n(box.q1)} · median ${n(box.median)} · q3 ${n(box.q3)} · max ${n(box.max)} · mean ${n(box.mean)}`;
            },
          },
        },
      },
    },
    plugins: [boxes],
  });

  const kinds: Array<[keyof ChartData["variants"][number]["outcomes"], string, string]> = [
    ["succeeded", "succeeded", "hsl(152 55% 42%)"],
    ["truncated", "truncated (output limit)", "hsl(38 92% 55%)"],
    ["refused", "refused (content filter)", "hsl(275 55% 58%)"],
    ["failed", "failed", "hsl(356 70% 55%)"],
    ["cancelled", "cancelled", "hsl(215 14% 65%)"],
  ];
  draw("chart-outcomes", {
    type: "bar",
    data: {
      labels: data.variants.map((v) => v.label),
      datasets: kinds.map(([key, label, color]) => ({
        label,
        data: data.variants.map((v) => v.outcomes[key]),
        backgroundColor: color,
        barPercentage: 0.6,
      })),
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, beginAtZero: true, title: { display: true, text: "Results", color: INK } },
        y: { stacked: true, grid: { display: false } },
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
}
