import type { ChartData } from "./chart-data.ts";
import type { ChartPlugin, ChartPlugins } from "./client-types.ts";

/**
 * Chart.js plugins for the report, run in the page: embedded with
 * `Function.prototype.toString`, so this function must use only its parameters (types
 * are erased and fine).
 */
export function chartPlugins(FONT: string, INK: string): ChartPlugins {
  /** Vertical error bars from `dataset.errorBars[i] = [low, high]` (y values). */
  const errorBars: ChartPlugin = {
    id: "errorBars",
    afterDatasetsDraw(chart) {
      const y = chart.scales.y;
      if (y === undefined) return;
      const ctx = chart.ctx;
      chart.data.datasets.forEach((dataset, i) => {
        const bars = dataset.errorBars as Array<[number, number] | null> | undefined;
        if (bars === undefined || !chart.isDatasetVisible(i)) return;
        chart.getDatasetMeta(i).data.forEach((point, j) => {
          const bar = bars[j];
          if (bar === null || bar === undefined || point.skip === true) return;
          const top = y.getPixelForValue(bar[1]);
          const bottom = y.getPixelForValue(bar[0]);
          ctx.save();
          ctx.strokeStyle = String(dataset.errorColor ?? dataset.borderColor ?? INK);
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(point.x, top);
          ctx.lineTo(point.x, bottom);
          ctx.moveTo(point.x - 5, top);
          ctx.lineTo(point.x + 5, top);
          ctx.moveTo(point.x - 5, bottom);
          ctx.lineTo(point.x + 5, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    },
  };

  /**
   * The variant's name beside its point, when there are few enough to read. Each label
   * takes the first of eight places around its point that overlaps no label placed before
   * it and stays inside the plot.
   */
  const pointLabels: ChartPlugin = {
    id: "pointLabels",
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const x = chart.scales.x;
      const y = chart.scales.y;
      if (x === undefined || y === undefined) return;
      const placed: Array<{ left: number; top: number; right: number; bottom: number }> = [];
      const overlaps = (r: { left: number; top: number; right: number; bottom: number }) =>
        placed.some((p) => r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top);
      ctx.save();
      ctx.font = `600 11px ${FONT}`;
      ctx.fillStyle = INK;
      ctx.textBaseline = "middle";
      ctx.textAlign = "left";
      chart.data.datasets.forEach((dataset, i) => {
        const text = dataset.pointLabel as string | undefined;
        if (text === undefined || !chart.isDatasetVisible(i)) return;
        const point = chart.getDatasetMeta(i).data[0];
        if (point === undefined || point.skip === true) return;
        const width = ctx.measureText(text).width;
        const height = 14;
        const gap = 10;
        const candidates = [
          { dx: gap, dy: -height },
          { dx: gap, dy: height * 0.2 },
          { dx: -gap - width, dy: -height },
          { dx: -gap - width, dy: height * 0.2 },
          { dx: -width / 2, dy: -height - gap },
          { dx: -width / 2, dy: gap },
          { dx: gap, dy: -2.2 * height },
          { dx: gap, dy: 1.4 * height },
        ].map(({ dx, dy }) => ({
          left: point.x + dx,
          top: point.y + dy,
          right: point.x + dx + width,
          bottom: point.y + dy + height,
        }));
        const inside = (r: { left: number; top: number; right: number; bottom: number }) =>
          r.left >= x.left && r.right <= x.right && r.top >= y.top && r.bottom <= y.bottom;
        const spot = candidates.find((r) => inside(r) && !overlaps(r)) ?? candidates.find(inside) ?? candidates[0];
        if (spot === undefined) return;
        placed.push(spot);
        ctx.fillText(text, spot.left, spot.top + height / 2);
      });
      ctx.restore();
    },
  };

  /** Whiskers (min–max), median and mean over floating bars [q1, q3] on a horizontal bar chart. */
  const boxes: ChartPlugin = {
    id: "boxes",
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const dataset = chart.data.datasets[0];
      if (x === undefined || dataset === undefined) return;
      const stats = dataset.boxes as Array<ChartData["variants"][number]["box"]>;
      const ctx = chart.ctx;
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        const box = stats[i];
        if (box === null || box === undefined) return;
        const y = bar.y;
        const half = 9;
        const at = (v: number) => x.getPixelForValue(v);
        ctx.save();
        ctx.strokeStyle = INK;
        ctx.lineWidth = 1.25;
        ctx.beginPath();
        ctx.moveTo(at(box.min), y);
        ctx.lineTo(at(box.q1), y);
        ctx.moveTo(at(box.q3), y);
        ctx.lineTo(at(box.max), y);
        ctx.moveTo(at(box.min), y - half / 2);
        ctx.lineTo(at(box.min), y + half / 2);
        ctx.moveTo(at(box.max), y - half / 2);
        ctx.lineTo(at(box.max), y + half / 2);
        ctx.stroke();
        ctx.lineWidth = 2.5;
        ctx.beginPath();
        ctx.moveTo(at(box.median), y - half);
        ctx.lineTo(at(box.median), y + half);
        ctx.stroke();
        ctx.fillStyle = "#ffffff";
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.arc(at(box.mean), y, 3.5, 0, Math.PI * 2);
        ctx.fill();
        ctx.stroke();
        ctx.restore();
      });
    },
  };
  return { errorBars, pointLabels, boxes };
}
