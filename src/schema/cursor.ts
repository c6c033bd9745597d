import type { RunListKey } from '../store/runs.js';
import { badUserInput } from './errors.js';

/** Opaque Relay cursor of a run in the newest-first listing. */
export const encodeRunCursor = (key: RunListKey): string =>
  Buffer.from(JSON.stringify([key.createdAt.getTime(), key.id])).toString('base64url');

export function decodeRunCursor(field: string, cursor: string): RunListKey {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof time === 'number' && typeof id === 'string') return { createdAt: new Date(time), id };
  } catch {
    // fall through to the error below
  }
  throw badUserInput(field, `${field} is not a cursor returned by this server's runs query`);
}
