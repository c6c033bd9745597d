// An EVALUATION run: scores a CycleGAN checkpoint on the test split.
//
// Images. realA, realB: the first maxImages test images of each domain (sorted file names), decoded
// at imageSize. fakeB = G_AB(realA), recA = G_BA(fakeB), fakeA = G_BA(realB), recB = G_AB(fakeA), each
// pass on the generator's float output as in the reference test script; every generated image is
// then quantised to 8 bits exactly like a saved sample PNG, and all scores use those 8-bit images.
//
// SSIM, per domain X, paired per test image X_i (G = the generator that translates X):
//   REAL_VS_FAKE = ssim(real X_i, G(X_i))       how much structure the translation keeps
//   REC_VS_FAKE  = ssim(rec X_i, G(X_i))        the reconstruction against the translation it came from
//   REAL_VS_REC  = ssim(real X_i, rec X_i)      cycle consistency
//   scikit-image structural_similarity, data_range 255, uniform 7x7 window, mean over RGB;
//   value = mean over images, std = population std, n = images, imageScores per image (file name).
// FD / FID and KID, per domain X, between image *sets* (fake X = translated from the other domain's
// test images, so it is compared with real X as a distribution, not pair by pair):
//   REAL_VS_FAKE = real X vs fake X;  REC_VS_FAKE = rec X vs fake X;  REAL_VS_REC = real X vs rec X.
//   Fréchet distance and KID (kidSubsetSize, kidSubsets, seed) on the extractor's 2048-d features;
//   named FD-ResNet50 / KID-ResNet50 for 'resnet50-imagenet', FID / KID for 'inception-v3'.
//   n = the smaller set's size. FD at a few hundred images is biased: compare only at equal n.
// Features of real images are cached per dataset, split, size, extractor and count (feature-cache.ts).
import type * as tf from '@tensorflow/tfjs';
import { loadGeneratorFromCheckpoint } from '../training/checkpoint.js';
import { floatsToBytes, imagesToTensor, loadDomainImages, type DomainImages } from '../training/data.js';
import type { Comparison, Domain, EvaluationConfig, EvaluationValue, RunContext } from '../training/protocol.js';
import { summarize } from '../training/ssim-summary.js';
import { ExtractionCancelled, type FeatureExtractor, type RgbImages } from './extractors/feature-extractor.js';
import { loadFeatureExtractor } from './extractors/registry.js';
import { pixelsDigest, readCachedFeatures, writeCachedFeatures, type FeatureCacheKey } from './feature-cache.js';
import type { FeatureMatrix } from './features.js';
import { frechetDistance } from './frechet.js';
import { kernelInceptionDistance } from './kid.js';
import { ssim } from './ssim.js';

const GENERATOR_BATCH = 8;
const DOMAINS: readonly Domain[] = ['A', 'B'];
const OTHER: Record<Domain, Domain> = { A: 'B', B: 'A' };

/** One domain's test images and what the generators made of them. */
interface CycleImages {
  names: string[];
  size: number;
  real: Uint8Array;
  /** Translated to the other domain: G(X_i). */
  translated: Uint8Array;
  /** Translated there and back. */
  rec: Uint8Array;
}

type Features = FeatureMatrix & { data: Float32Array };

class Cancelled extends Error {}

function rgb(pixels: Uint8Array, size: number): RgbImages {
  return { pixels, count: pixels.length / (size * size * 3), height: size, width: size };
}

/** Runs real -> forward -> backward in batches; both outputs quantised to 8 bits. */
async function cycle(images: DomainImages, forward: tf.LayersModel, backward: tf.LayersModel, isCancelled: () => boolean): Promise<CycleImages> {
  const n = images.names.length;
  const translated = new Uint8Array(images.pixels.length);
  const rec = new Uint8Array(images.pixels.length);
  const frame = images.size * images.size * 3;
  for (let start = 0; start < n; start += GENERATOR_BATCH) {
    if (isCancelled()) throw new Cancelled();
    const indices = Array.from({ length: Math.min(GENERATOR_BATCH, n - start) }, (_, i) => start + i);
    const x = imagesToTensor(images, indices);
    const fake = forward.predict(x) as tf.Tensor;
    const back = backward.predict(fake) as tf.Tensor;
    translated.set(floatsToBytes(await fake.data()), start * frame);
    rec.set(floatsToBytes(await back.data()), start * frame);
    [x, fake, back].forEach((t) => t.dispose());
    await new Promise((resolve) => setImmediate(resolve)); // let a cancel request in
  }
  return { names: images.names, size: images.size, real: images.pixels, translated, rec };
}

function ssimValues(domain: Domain, set: CycleImages): EvaluationValue[] {
  const frame = set.size * set.size * 3;
  const image = (pixels: Uint8Array, i: number) => ({ data: pixels.subarray(i * frame, (i + 1) * frame), height: set.size, width: set.size, channels: 3 });
  const pairs: [Comparison, Uint8Array, Uint8Array][] = [
    ['REAL_VS_FAKE', set.real, set.translated],
    ['REC_VS_FAKE', set.rec, set.translated],
    ['REAL_VS_REC', set.real, set.rec],
  ];
  return pairs.map(([comparison, a, b]) => {
    const scores = set.names.map((name, i) => ({ image: name, value: ssim(image(a, i), image(b, i), { dataRange: 255 }) }));
    const { mean, std, n } = summarize(scores.map((s) => s.value));
    return { metric: 'SSIM', comparison, domain, value: mean, std, n, extractor: null, resize: null, warning: null, imageScores: scores };
  });
}

/** Posts progress over all images that go through the extractor, with an ETA from the rate so far. */
function progressReporter(ctx: RunContext, epoch: number, total: number): (imagesDone: number) => void {
  const started = Date.now();
  return (done) => {
    const elapsed = (Date.now() - started) / 1000;
    const etaSeconds = done > 0 ? (elapsed / done) * (total - done) : null;
    ctx.post({ type: 'progress', epoch, iteration: done, iterationsPerEpoch: total, etaSeconds });
  };
}

function distanceValues(
  config: EvaluationConfig,
  extractor: FeatureExtractor,
  domain: Domain,
  real: Features,
  fake: Features,
  rec: Features,
): EvaluationValue[] {
  const sets: [Comparison, Features, Features][] = [
    ['REAL_VS_FAKE', real, fake],
    ['REC_VS_FAKE', rec, fake],
    ['REAL_VS_REC', real, rec],
  ];
  return sets.flatMap(([comparison, x, y]) => {
    const n = Math.min(x.rows, y.rows);
    const sizes = x.rows === y.rows ? null : `the sets differ in size (${x.rows} vs ${y.rows})`;
    const join = (...w: (string | null)[]): string | null => w.filter((s) => s !== null).join('; ') || null;
    const common = { comparison, domain, n, extractor: extractor.name, resize: extractor.resize, imageScores: null };
    const fd = frechetDistance(x, y);
    const kid = kernelInceptionDistance(x, y, { subsetSize: config.kidSubsetSize, subsets: config.kidSubsets, seed: config.seed });
    return [
      { ...common, metric: extractor.metrics.fd, value: fd.value, std: null, warning: join(fd.warning, sizes) },
      { ...common, metric: extractor.metrics.kid, value: kid.value, std: kid.std, warning: join(kid.warning, sizes) },
    ];
  });
}

async function evaluate(ctx: RunContext, config: EvaluationConfig): Promise<EvaluationValue[]> {
  const isCancelled = (): boolean => ctx.isCancelled();
  const load = (split: 'testA' | 'testB') =>
    loadDomainImages(config.dataset.root, split, config.imageSize, { maxImages: config.maxImages, cacheDir: ctx.input.imageCacheDir ?? null });
  const tests: Record<Domain, DomainImages> = { A: await load('testA'), B: await load('testB') };

  const gAB = await loadGeneratorFromCheckpoint(config.checkpointDir, 'gAB');
  const gBA = await loadGeneratorFromCheckpoint(config.checkpointDir, 'gBA');
  let sets: Record<Domain, CycleImages>;
  try {
    sets = { A: await cycle(tests.A, gAB, gBA, isCancelled), B: await cycle(tests.B, gBA, gAB, isCancelled) };
  } finally {
    gAB.dispose();
    gBA.dispose();
  }
  const values = DOMAINS.flatMap((d) => ssimValues(d, sets[d]));

  const extractor = await loadFeatureExtractor(config.extractor, { inceptionWeightsDir: config.inceptionWeightsDir });
  try {
    const cacheKey = (d: Domain): FeatureCacheKey => ({
      datasetId: config.dataset.id,
      split: `test${d}`,
      imageSize: config.imageSize,
      extractor: extractor.name,
      resize: extractor.resize,
      count: sets[d].names.length,
    });
    const digests = { A: pixelsDigest(sets.A.real), B: pixelsDigest(sets.B.real) };
    const cachedReal = { A: readCachedFeatures(config.featureCacheDir, cacheKey('A'), digests.A), B: readCachedFeatures(config.featureCacheDir, cacheKey('B'), digests.B) };

    // Everything the extractor must see, in order; real images only when not cached.
    const jobs: { domain: Domain; kind: 'real' | 'fake' | 'rec'; pixels: Uint8Array }[] = [];
    for (const d of DOMAINS) {
      if (!cachedReal[d]) jobs.push({ domain: d, kind: 'real', pixels: sets[d].real });
      // fake X is the other domain's translation.
      jobs.push({ domain: d, kind: 'fake', pixels: sets[OTHER[d]].translated });
      jobs.push({ domain: d, kind: 'rec', pixels: sets[d].rec });
    }
    const frame = config.imageSize * config.imageSize * 3;
    const total = jobs.reduce((s, j) => s + j.pixels.length / frame, 0);
    const report = progressReporter(ctx, config.sourceEpoch, total);
    let done = 0;
    const features: Record<Domain, Partial<Record<'real' | 'fake' | 'rec', Features>>> = { A: { real: cachedReal.A ?? undefined }, B: { real: cachedReal.B ?? undefined } };
    for (const job of jobs) {
      const before = done;
      const f = await extractor.extract(rgb(job.pixels, config.imageSize), { isCancelled, onBatch: (n) => report((done = before + n)) });
      features[job.domain][job.kind] = f;
      if (job.kind === 'real') writeCachedFeatures(config.featureCacheDir, cacheKey(job.domain), digests[job.domain], f);
    }
    for (const d of DOMAINS) {
      const { real, fake, rec } = features[d];
      if (!real || !fake || !rec) throw new Error(`internal: features of domain ${d} incomplete`);
      values.push(...distanceValues(config, extractor, d, real, fake, rec));
    }
  } finally {
    extractor.dispose();
  }
  return values;
}

/** Evaluates a CycleGAN checkpoint on the test split; posts progress, one evaluation message, then done. */
export async function runEvaluation(ctx: RunContext): Promise<void> {
  const config = ctx.input.config;
  if (config.kind !== 'EVALUATION') throw new Error(`runEvaluation needs an EVALUATION config, got kind '${config.kind}'`);
  let values: EvaluationValue[];
  try {
    values = await evaluate(ctx, config);
  } catch (err) {
    if (err instanceof Cancelled || err instanceof ExtractionCancelled) {
      ctx.post({ type: 'cancelled' });
      return;
    }
    throw err;
  }
  ctx.post({ type: 'evaluation', epoch: config.sourceEpoch, split: 'test', values });
  ctx.post({ type: 'done' });
}
