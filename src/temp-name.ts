// Suffix of a file written next to its final path and then renamed over it. Unique per
// write: several worker threads of one process may write the same cache entry in the
// same millisecond (process id and time alone collided there).
import { randomUUID } from 'node:crypto';
import { threadId } from 'node:worker_threads';

export const tempSuffix = (): string => `.tmp-${process.pid}-${threadId}-${randomUUID()}`;
