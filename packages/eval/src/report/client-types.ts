/*
 * The few DOM and Chart.js shapes the in-page script uses (this package compiles without
 * lib.dom). The functions in client-script.ts and client-plugins.ts run in the page.
 */

export interface Canvas {
  width: number;
  height: number;
}
export interface Container {
  querySelector(selector: string): Canvas | null;
  setAttribute(name: string, value: string): void;
}
export interface PageDocument {
  getElementById(id: string): Container | null;
}
export interface Scale {
  getPixelForValue(value: number): number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}
export interface Context2D {
  save(): void;
  restore(): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fill(): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  strokeStyle: string;
  fillStyle: string;
  lineWidth: number;
  font: string;
  textBaseline: string;
  textAlign: string;
}
export interface PointElement {
  x: number;
  y: number;
  skip?: boolean;
}
export interface ChartInstance {
  ctx: Context2D;
  scales: Record<string, Scale>;
  data: { datasets: Array<Record<string, unknown>> };
  getDatasetMeta(index: number): { data: PointElement[]; hidden: boolean | null };
  isDatasetVisible(index: number): boolean;
}
export interface ChartPlugin {
  id: string;
  afterDatasetsDraw(chart: ChartInstance): void;
}
export interface ChartLibrary {
  new (canvas: Canvas, config: Record<string, unknown>): ChartInstance;
  defaults: {
    font: { family: string; size: number };
    color: string;
    borderColor: string;
    animation: boolean;
    plugins: { legend: { labels: Record<string, unknown> }; tooltip: Record<string, unknown> };
  };
}

export interface ChartPlugins {
  errorBars: ChartPlugin;
  pointLabels: ChartPlugin;
  boxes: ChartPlugin;
}
