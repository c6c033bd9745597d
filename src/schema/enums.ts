import { registerEnumType } from 'type-graphql';

// GraphQL enums. Where the stored value differs from the GraphQL name (lower-case
// protocol names), the enum's values are the stored ones.

export enum RunKind {
  AE = 'AE',
  VAE = 'VAE',
  CYCLEGAN = 'CYCLEGAN',
  EVALUATION = 'EVALUATION',
}

export enum PretrainKind {
  AE = 'AE',
  VAE = 'VAE',
}

export enum RunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  INTERRUPTED = 'INTERRUPTED',
}

export enum Domain {
  A = 'A',
  B = 'B',
}

export enum SampleKind {
  REAL = 'real',
  FAKE = 'fake',
  REC = 'rec',
  IDT = 'idt',
}

export enum Comparison {
  REAL_VS_FAKE = 'REAL_VS_FAKE',
  REC_VS_FAKE = 'REC_VS_FAKE',
  REAL_VS_REC = 'REAL_VS_REC',
}

export enum FeatureExtractor {
  RESNET50_IMAGENET = 'resnet50-imagenet',
  INCEPTION_V3 = 'inception-v3',
}

export enum BadImagePolicy {
  FAIL = 'fail',
  SKIP = 'skip',
}

export enum RunEventType {
  PROGRESS = 'PROGRESS',
  EPOCH = 'EPOCH',
  METRICS = 'METRICS',
  SAMPLE = 'SAMPLE',
  CHECKPOINT = 'CHECKPOINT',
  EVALUATION = 'EVALUATION',
  STATUS = 'STATUS',
}

export enum RunChangeType {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
}

registerEnumType(RunKind, { name: 'RunKind' });
registerEnumType(PretrainKind, { name: 'PretrainKind', description: 'Kind of a pretraining run.' });
registerEnumType(RunStatus, { name: 'RunStatus' });
registerEnumType(Domain, { name: 'Domain', description: 'Image domain: A (trainA/testA) or B (trainB/testB).' });
registerEnumType(SampleKind, { name: 'SampleKind', description: 'real input, fake (translated), rec (translated back), idt (identity).' });
registerEnumType(Comparison, { name: 'Comparison' });
registerEnumType(FeatureExtractor, { name: 'FeatureExtractor' });
registerEnumType(BadImagePolicy, { name: 'BadImagePolicy', description: 'What a run does with a corrupt image file.' });
registerEnumType(RunEventType, { name: 'RunEventType' });
registerEnumType(RunChangeType, { name: 'RunChangeType' });
