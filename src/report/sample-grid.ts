import sharp, { type OverlayOptions } from 'sharp';
import type { Domain } from '../training/protocol.js';
import type { ModelResult } from './results.js';

const SCALE = 3; // 32 px samples are too small to judge at 1x
const LABEL_WIDTH = 190;
const GAP = 4;

interface GridRow {
  label: string;
  files: string[];
}

/**
 * One PNG per domain: the same fixed test images as real / fake / reconstruction for each
 * model at its last epoch, so the models can be compared image by image.
 */
export async function writeSampleGrid(models: ModelResult[], domain: Domain, pngPath: string): Promise<boolean> {
  const rows: GridRow[] = [];
  for (const [i, model] of models.entries()) {
    const last = Math.max(...model.samples.map((s) => s.epoch));
    const at = (kind: string) => model.samples.filter((s) => s.epoch === last && s.domain === domain && s.kind === kind).sort((a, b) => a.index - b.index).map((s) => s.file);
    if (i === 0) rows.push({ label: `real ${domain}`, files: at('real') });
    rows.push({ label: `fake, ${model.label} (epoch ${last})`, files: at('fake') });
    rows.push({ label: `rec, ${model.label}`, files: at('rec') });
  }
  const columns = Math.max(0, ...rows.map((r) => r.files.length));
  if (columns === 0) return false;
  const first = await sharp(rows.find((r) => r.files.length)!.files[0]).metadata();
  const cell = (first.width ?? 32) * SCALE;
  const width = LABEL_WIDTH + columns * (cell + GAP);
  const height = rows.length * (cell + GAP);
  const composites: OverlayOptions[] = [];
  for (const [r, row] of rows.entries()) {
    const top = r * (cell + GAP);
    composites.push({ input: labelSvg(row.label, LABEL_WIDTH, cell), top, left: 0 });
    for (const [c, file] of row.files.entries()) {
      const input = await sharp(file).resize(cell, cell, { kernel: 'nearest' }).png().toBuffer();
      composites.push({ input, top, left: LABEL_WIDTH + c * (cell + GAP) });
    }
  }
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(composites).png().toFile(pngPath);
  return true;
}

function labelSvg(text: string, width: number, height: number): Buffer {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="6" y="${height / 2 + 5}" font-family="DejaVu Sans, sans-serif" font-size="13">${escaped}</text></svg>`,
  );
}
