import type { Comparison, Domain, SampleKind } from '../training/protocol.js';
import type { ExperimentPreset } from '../experiment/preset.js';

/** Everything a report is drawn from, as read back from the server after an experiment. */

export interface EpochRow {
  epoch: number;
  lr: number;
  durationMs: number;
  losses: Record<string, number>;
  ssim: Record<string, { mean: number; std: number; n: number }>;
}

export interface EvaluationRow {
  metric: string;
  comparison: Comparison;
  domain: Domain;
  value: number;
  std: number | null;
  n: number;
  extractor: string | null;
  imageScores: { image: string; value: number }[];
}

export interface SampleRow {
  epoch: number;
  domain: Domain;
  kind: SampleKind;
  index: number;
  image: string;
  /** Absolute path of the PNG on this machine. */
  file: string;
}

export interface ModelResult {
  /** "random init" or "AE init". */
  label: string;
  seed: number;
  runId: string;
  backend: string | null;
  epochs: EpochRow[];
  evaluation: EvaluationRow[];
  samples: SampleRow[];
}

export interface PretrainingResult {
  domain: Domain;
  seed: number;
  runId: string;
  epochs: EpochRow[];
  /** Iteration-level losses (downsampled by the server), so a 1-epoch run still shows a curve. */
  points: { name: string; step: number; value: number }[];
}

export interface ExperimentResults {
  preset: ExperimentPreset;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  pretraining: PretrainingResult[];
  models: ModelResult[];
}
