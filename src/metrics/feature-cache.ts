// Features of real test images, cached on disk so that the next evaluation of the same dataset
// only runs the extractor on generated images. One entry per dataset id, split, image size,
// extractor and image count: <key>.f32 (float32 rows, little-endian) + <key>.json (header).
// The header also holds a digest of the decoded pixels, so a changed image folder is never
// served stale features.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureMatrix } from './features.js';
import { tempSuffix } from '../temp-name.js';

/** Bump when extraction changes in a way that alters features. */
const CACHE_FORMAT = 'cyclegan-lab-features/1';

export interface FeatureCacheKey {
  datasetId: string;
  split: string;
  imageSize: number;
  extractor: string;
  resize: string;
  count: number;
}

interface Header extends FeatureCacheKey {
  format: string;
  dim: number;
  pixelsSha256: string;
}

export function pixelsDigest(pixels: Uint8Array): string {
  return createHash('sha256').update(pixels).digest('hex');
}

function fileStem(key: FeatureCacheKey): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe(key.datasetId)}-${safe(key.split)}-${key.imageSize}px-${safe(key.extractor)}-${safe(key.resize)}-n${key.count}`;
}

/** The cached features for `key` and these pixels, or null when absent or stale. */
export function readCachedFeatures(dir: string, key: FeatureCacheKey, pixelsSha256: string): (FeatureMatrix & { data: Float32Array }) | null {
  const stem = join(dir, fileStem(key));
  if (!existsSync(`${stem}.json`) || !existsSync(`${stem}.f32`)) return null;
  let header: Header;
  try {
    header = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as Header;
  } catch {
    return null;
  }
  const matches =
    header.format === CACHE_FORMAT &&
    header.pixelsSha256 === pixelsSha256 &&
    (Object.keys(key) as (keyof FeatureCacheKey)[]).every((k) => header[k] === key[k]);
  if (!matches) return null;
  const bytes = readFileSync(`${stem}.f32`);
  if (bytes.byteLength !== header.count * header.dim * 4) return null;
  // Copy into a fresh, aligned buffer (a Buffer's byteOffset need not be a multiple of 4).
  const data = new Float32Array(new Uint8Array(bytes).buffer);
  return { data, rows: header.count, cols: header.dim };
}

/** Writes features for `key` (data first, header last, each by rename, so readers never see half an entry). */
export function writeCachedFeatures(dir: string, key: FeatureCacheKey, pixelsSha256: string, features: FeatureMatrix & { data: Float32Array }): void {
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, fileStem(key));
  const tmp = tempSuffix();
  const header: Header = { format: CACHE_FORMAT, ...key, dim: features.cols, pixelsSha256 };
  writeFileSync(`${stem}.f32${tmp}`, new Uint8Array(features.data.buffer, features.data.byteOffset, features.data.byteLength));
  renameSync(`${stem}.f32${tmp}`, `${stem}.f32`);
  writeFileSync(`${stem}.json${tmp}`, JSON.stringify(header, null, 1));
  renameSync(`${stem}.json${tmp}`, `${stem}.json`);
}
