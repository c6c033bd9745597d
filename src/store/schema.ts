// Drizzle table definitions of the lab's SQLite database (DESIGN.md "Data model").
// drizzle-kit reads this file to generate migrations/: only type imports may be relative.
import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import type { RunConfig } from '../training/protocol.js';

export const RUN_KINDS = ['AE', 'VAE', 'CYCLEGAN', 'EVALUATION'] as const;
export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'] as const;
export type RunKindName = (typeof RUN_KINDS)[number];
export type RunStatusName = (typeof RUN_STATUSES)[number];

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

export const datasets = sqliteTable('datasets', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Absolute, symlink-resolved folder holding trainA trainB testA testB. */
  root: text('root').notNull(),
  /** Side of the (square) images, read from the first training image; null when not square. */
  imageSize: integer('image_size'),
  trainA: integer('train_a').notNull(),
  trainB: integer('train_b').notNull(),
  testA: integer('test_a').notNull(),
  testB: integer('test_b').notNull(),
  createdAt: createdAt(),
});

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: RUN_KINDS }).notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    /** The validated RunConfig (src/training/protocol.ts) as JSON. */
    config: text('config', { mode: 'json' }).$type<RunConfig>().notNull(),
    datasetId: text('dataset_id')
      .notNull()
      .references(() => datasets.id),
    seed: integer('seed').notNull(),
    /** Pretraining run whose generator initialises G_AB (outputs domain B). */
    initGabRunId: text('init_gab_run_id').references((): AnySQLiteColumn => runs.id),
    /** Pretraining run whose generator initialises G_BA (outputs domain A). */
    initGbaRunId: text('init_gba_run_id').references((): AnySQLiteColumn => runs.id),
    /** For EVALUATION runs: the run being evaluated. */
    sourceRunId: text('source_run_id').references((): AnySQLiteColumn => runs.id),
    /** The TF.js backend the worker reported. */
    backend: text('backend'),
    /** Unreadable image files the worker left out (onBadImage SKIP), as it reported them at its start. */
    skippedImages: text('skipped_images', { mode: 'json' }).$type<{ file: string; reason: string }[]>().notNull().default([]),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    heartbeatAt: integer('heartbeat_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('runs_status_idx').on(t.status, t.createdAt),
    index('runs_created_idx').on(t.createdAt, t.id),
    index('runs_source_idx').on(t.sourceRunId),
  ],
);

export const runTags = sqliteTable(
  'run_tags',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.tag] }), index('run_tags_tag_idx').on(t.tag)],
);

export const epochs = sqliteTable(
  'epochs',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    epoch: integer('epoch').notNull(),
    /** Every loss of the run averaged over the epoch; the names differ per run kind. */
    losses: text('losses', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    lr: real('lr').notNull(),
    /** SSIM summaries keyed by comparison, e.g. real_vs_fake_A: {mean, std, n}; null when not computed. */
    ssim: text('ssim', { mode: 'json' }).$type<Record<string, { mean: number; std: number; n: number }>>(),
    durationMs: real('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.epoch] })],
);

export const metricPoints = sqliteTable(
  'metric_points',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    step: integer('step').notNull(),
    value: real('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.name, t.step] })],
);

export const samples = sqliteTable(
  'samples',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    epoch: integer('epoch').notNull(),
    domain: text('domain', { enum: ['A', 'B'] }).notNull(),
    kind: text('kind', { enum: ['real', 'fake', 'rec', 'idt'] }).notNull(),
    index: integer('index').notNull(),
    /** Source image file name within the test folder. */
    image: text('image').notNull(),
    /** PNG path relative to the data dir (served under /files/). */
    path: text('path').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.epoch, t.domain, t.kind, t.index] })],
);

export const checkpoints = sqliteTable(
  'checkpoints',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    epoch: integer('epoch').notNull(),
    /** Checkpoint folder relative to the data dir. */
    path: text('path').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.epoch] })],
);

export const evaluations = sqliteTable(
  'evaluations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The EVALUATION run that produced the value. */
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** The run whose checkpoint was evaluated. */
    subjectRunId: text('subject_run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    epoch: integer('epoch').notNull(),
    split: text('split').notNull(),
    metric: text('metric').notNull(),
    comparison: text('comparison', { enum: ['REAL_VS_FAKE', 'REC_VS_FAKE', 'REAL_VS_REC'] }).notNull(),
    domain: text('domain', { enum: ['A', 'B'] }).notNull(),
    value: real('value').notNull(),
    std: real('std'),
    n: integer('n').notNull(),
    extractor: text('extractor'),
    resize: text('resize'),
    warning: text('warning'),
    createdAt: createdAt(),
  },
  (t) => [index('evaluations_run_idx').on(t.runId), index('evaluations_subject_idx').on(t.subjectRunId)],
);

export const imageScores = sqliteTable(
  'image_scores',
  {
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    image: text('image').notNull(),
    value: real('value').notNull(),
  },
  (t) => [uniqueIndex('image_scores_evaluation_image_idx').on(t.evaluationId, t.image)],
);
