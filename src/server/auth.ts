import { timingSafeEqual } from 'node:crypto';

/** True when no token is configured, or `presented` (a bearer header or a bare token) matches it. */
export function tokenAccepted(expected: string | null, presented: unknown): boolean {
  if (!expected) return true;
  if (typeof presented !== 'string') return false;
  const token = presented.startsWith('Bearer ') ? presented.slice('Bearer '.length) : presented;
  const a = Buffer.from(token);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
