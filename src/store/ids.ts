import { randomBytes } from 'node:crypto';

/**
 * A new opaque id: a prefix, the creation time in base 36 (so ids sort by age) and
 * 8 random hex digits.
 */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}
