// Image folders to 8-bit RGB pixels. A dataset is a folder with trainA trainB testA testB;
// every readable image is decoded with sharp, converted to 8-bit sRGB without alpha
// (grey, RGBA, 16-bit and CMYK inputs alike, as PIL's convert('RGB') does) and resized to
// imageSize x imageSize. Decoded splits are cached per dataset and size so the next run
// starts at once.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { tempSuffix } from '../temp-name.js';

export type Split = 'trainA' | 'trainB' | 'testA' | 'testB';
export const SPLITS: readonly Split[] = ['trainA', 'trainB', 'testA', 'testB'];
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff'];

export interface DomainImages {
  names: string[];
  size: number;
  /** N * size * size * 3 bytes, RGB, HWC, image after image. */
  pixels: Uint8Array;
  skipped: { file: string; reason: string }[];
}

export interface LoadOptions {
  /** Keep only the first N readable images (sorted by file name). */
  maxImages?: number | null;
  /** A corrupt or unreadable file fails the load (default) or is skipped and reported. */
  onBadImage?: 'fail' | 'skip';
  /** Folder for decoded-pixel caches; null or absent: no cache. */
  cacheDir?: string | null;
}

/** Bump when decoding changes, so old caches are not reused. */
const CACHE_VERSION = 1;
const CHANNELS = 3;

function listImageFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`image folder not found: ${dir}`);
  return readdirSync(dir)
    .filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase()))
    .sort();
}

/** Decodes one file to size x size x 3 bytes; throws an Error naming the file on failure. */
export async function decodeImage(file: string, size: number): Promise<Uint8Array> {
  try {
    const { data, info } = await sharp(file)
      .removeAlpha()
      .toColourspace('srgb')
      .resize(size, size, { fit: 'fill', kernel: 'cubic' })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== CHANNELS || info.width !== size || info.height !== size) {
      throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x${CHANNELS}`);
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (err) {
    throw new Error(`cannot read image ${file}: ${(err as Error).message}`);
  }
}

interface Decoded {
  names: string[];
  pixels: Uint8Array;
  skipped: { file: string; reason: string }[];
}

/** Decodes files in order until `limit` images decoded; bad files are collected, not thrown. */
async function decodeFiles(dir: string, files: string[], size: number, limit: number): Promise<Decoded> {
  const frame = size * size * CHANNELS;
  const names: string[] = [];
  const frames: Uint8Array[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const name of files) {
    if (names.length >= limit) break;
    const file = join(dir, name);
    try {
      frames.push(await decodeImage(file, size));
      names.push(name);
    } catch (err) {
      skipped.push({ file, reason: (err as Error).message });
    }
  }
  const pixels = new Uint8Array(names.length * frame);
  frames.forEach((f, i) => pixels.set(f, i * frame));
  return { names, pixels, skipped };
}

function cacheKey(dir: string, files: string[], size: number): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ v: CACHE_VERSION, dir: resolve(dir), size }));
  for (const f of files) {
    const st = statSync(join(dir, f));
    hash.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 24);
}

/** Whole split, decoded once and kept as <key>.bin (pixels) + <key>.json (names, skipped). */
async function decodeSplitCached(dir: string, files: string[], size: number, cacheDir: string): Promise<Decoded> {
  const key = cacheKey(dir, files, size);
  const bin = join(cacheDir, `${key}.bin`);
  const meta = join(cacheDir, `${key}.json`);
  if (existsSync(bin) && existsSync(meta)) {
    const { names, skipped } = JSON.parse(readFileSync(meta, 'utf8')) as Omit<Decoded, 'pixels'>;
    const buf = readFileSync(bin);
    if (buf.byteLength === names.length * size * size * CHANNELS) {
      return { names, skipped, pixels: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
    }
  }
  const decoded = await decodeFiles(dir, files, size, Infinity);
  mkdirSync(cacheDir, { recursive: true });
  // Write then rename: a reader never sees a half-written cache.
  const suffix = tempSuffix();
  writeFileSync(bin + suffix, decoded.pixels);
  writeFileSync(meta + suffix, JSON.stringify({ names: decoded.names, skipped: decoded.skipped }));
  renameSync(bin + suffix, bin);
  renameSync(meta + suffix, meta);
  return decoded;
}

export async function loadDomainImages(root: string, split: Split, imageSize: number, opts: LoadOptions = {}): Promise<DomainImages> {
  if (!SPLITS.includes(split)) throw new Error(`unknown split '${String(split)}': allowed values are ${SPLITS.join(', ')}`);
  if (!Number.isInteger(imageSize) || imageSize < 1) throw new Error(`imageSize must be a positive integer, got ${imageSize}`);
  const { maxImages = null, onBadImage = 'fail', cacheDir = null } = opts;
  if (maxImages !== null && (!Number.isInteger(maxImages) || maxImages < 1)) {
    throw new Error(`maxImages must be a positive integer or null, got ${maxImages}`);
  }
  const dir = join(root, split);
  const files = listImageFiles(dir);
  const limit = maxImages ?? Infinity;
  const decoded = cacheDir
    ? await decodeSplitCached(dir, files, imageSize, cacheDir)
    : await decodeFiles(dir, files, imageSize, limit);

  // Walk the files in order as an uncached load would: the first `limit` good images, and
  // the bad files met before reaching them. Good names are in file order, so they form a prefix.
  const good = new Set(decoded.names);
  const bad = new Map(decoded.skipped.map((s) => [basename(s.file), s]));
  let kept = 0;
  const skipped: { file: string; reason: string }[] = [];
  for (const name of files) {
    if (kept >= limit) break;
    if (good.has(name)) kept++;
    else if (bad.has(name)) skipped.push(bad.get(name)!);
  }
  if (onBadImage === 'fail' && skipped.length > 0) throw new Error(skipped[0].reason);
  if (kept === 0) throw new Error(`no readable images in ${dir} (extensions ${IMAGE_EXTENSIONS.join(' ')})`);
  const frame = imageSize * imageSize * CHANNELS;
  return { names: decoded.names.slice(0, kept), size: imageSize, pixels: decoded.pixels.subarray(0, kept * frame), skipped };
}

/**
 * Images `indices` of `images` as a float tensor [N, size, size, 3] in [-1, 1]
 * (the reference's Normalize(0.5, 0.5)); `flip[i]` mirrors image i left-right.
 */
export function imagesToTensor(images: DomainImages, indices: readonly number[], flip?: readonly boolean[]): tf.Tensor4D {
  const s = images.size;
  const frame = s * s * CHANNELS;
  const out = new Float32Array(indices.length * frame);
  indices.forEach((idx, n) => {
    if (idx < 0 || idx >= images.names.length) throw new Error(`image index ${idx} out of range 0..${images.names.length - 1}`);
    const src = idx * frame;
    const dst = n * frame;
    const mirror = flip?.[n] ?? false;
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        const from = src + (y * s + (mirror ? s - 1 - x : x)) * CHANNELS;
        const to = dst + (y * s + x) * CHANNELS;
        for (let c = 0; c < CHANNELS; c++) out[to + c] = images.pixels[from + c] / 127.5 - 1;
      }
    }
  });
  return tf.tensor4d(out, [indices.length, s, s, CHANNELS]);
}

/**
 * [-1, 1] floats to 8-bit: (x + 1) * 127.5, rounded and clamped. (The reference's tensor2im
 * truncates instead, which darkens by half a level on average and turns some exact levels
 * into the one below through float rounding.)
 */
export function floatsToBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.min(255, Math.max(0, Math.round((values[i] + 1) * 127.5)));
  return out;
}
