import { writeFileSync } from 'node:fs';
import sharp from 'sharp';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to an SVG and a PNG beside it (Vega's headless SVG renderer,
 * rasterised by sharp/librsvg), so figures come from a maintained plotting library.
 */
export async function renderChart(spec: TopLevelSpec, pngPath: string): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  writeFileSync(pngPath.replace(/\.png$/, '.svg'), svg);
  await sharp(Buffer.from(svg), { density: 144 }).flatten({ background: '#ffffff' }).png().toFile(pngPath);
}
