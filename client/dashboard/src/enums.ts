// Enum values of the API, for filters and validation of URL parameters.
import type { RunKind, RunStatus } from '../../generated/graphql.js';

export const RUN_KINDS: readonly RunKind[] = ['CYCLEGAN', 'AE', 'VAE', 'EVALUATION'];
export const RUN_STATUSES: readonly RunStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'];

/** Statuses resumeRun accepts; cancelRun accepts the active ones. */
export const RESUMABLE: ReadonlySet<RunStatus> = new Set(['INTERRUPTED', 'FAILED', 'CANCELLED']);
export const ACTIVE: ReadonlySet<RunStatus> = new Set(['QUEUED', 'RUNNING']);

export const isRunKind = (value: string | null): value is RunKind => RUN_KINDS.includes(value as RunKind);
export const isRunStatus = (value: string | null): value is RunStatus => RUN_STATUSES.includes(value as RunStatus);
