import { badUserInput, shown } from '../errors.js';

// Range checks for mutation inputs: each throws BAD_USER_INPUT naming the field and the
// allowed range, before anything is written.

export function checkInt(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(field, `${field} must be an integer between ${min} and ${max} (got ${value})`);
  }
  return value;
}

/** A positive integer limit or null (no limit). */
export function checkOptionalInt(field: string, value: number | null | undefined, min: number, max: number): number | null {
  return value === null || value === undefined ? null : checkInt(field, value, min, max);
}

export function checkNumber(field: string, value: number, min: number, max: number, options: { minExclusive?: boolean; maxExclusive?: boolean } = {}): number {
  const belowMin = options.minExclusive ? value <= min : value < min;
  const aboveMax = options.maxExclusive ? value >= max : value > max;
  if (!Number.isFinite(value) || belowMin || aboveMax) {
    const range = `${options.minExclusive ? 'greater than' : 'at least'} ${min} and ${options.maxExclusive ? 'less than' : 'at most'} ${max}`;
    throw badUserInput(field, `${field} must be a number ${range} (got ${value})`);
  }
  return value;
}

export const IMAGE_SIZE = { min: 16, max: 256, multiple: 4 } as const;

/** Square image side: the generator downsamples twice, so it must be divisible by 4. */
export function checkImageSize(field: string, value: number): number {
  if (!Number.isInteger(value) || value < IMAGE_SIZE.min || value > IMAGE_SIZE.max || value % IMAGE_SIZE.multiple !== 0) {
    throw badUserInput(
      field,
      `${field} must be a multiple of ${IMAGE_SIZE.multiple} between ${IMAGE_SIZE.min} and ${IMAGE_SIZE.max} (got ${value})`,
    );
  }
  return value;
}

export const SEED_MAX = 2 ** 31 - 1;

/** Most runs one page of the runs connection returns. */
export const RUNS_PAGE_MAX = 100;
/** Most points Run.metrics returns per series. */
export const METRIC_POINTS_MAX = 100_000;

/** The given seed, or a fresh one: every run stores the seed it used. */
export function seedOrRandom(field: string, value: number | null | undefined): number {
  return value === null || value === undefined ? Math.floor(Math.random() * SEED_MAX) : checkInt(field, value, 0, SEED_MAX);
}

const TAG = /^[\w.:/-]{1,64}$/;

export function checkTags(field: string, tags: readonly string[]): string[] {
  if (tags.length > 32) throw badUserInput(field, `${field} may hold at most 32 tags (got ${tags.length})`);
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw badUserInput(field, `${field}: "${shown(tag)}" is not a tag: use 1 to 64 letters, digits or . _ : / -`);
    }
  }
  return [...new Set(tags)];
}
