import type { CheckpointRow } from '../../store/checkpoints.js';
import type { SampleRow } from '../../store/samples.js';
import { Domain, SampleKind } from '../enums.js';
import { fileUrl } from '../file-url.js';
import { Checkpoint } from './checkpoint.js';
import { Sample } from './sample.js';

// Rows whose GraphQL form carries a URL: the base URL comes from the request.

export const toSample = (row: SampleRow, baseUrl: string): Sample =>
  Object.assign(new Sample(), {
    epoch: row.epoch,
    domain: row.domain as Domain,
    kind: row.kind as SampleKind,
    index: row.index,
    image: row.image,
    path: row.path,
    url: fileUrl(baseUrl, row.path),
    createdAt: row.createdAt,
  });

export const toCheckpoint = (row: CheckpointRow, baseUrl: string): Checkpoint =>
  Object.assign(new Checkpoint(), {
    epoch: row.epoch,
    path: row.path,
    url: fileUrl(baseUrl, row.path),
    bytes: row.bytes,
    sha256: row.sha256,
    createdAt: row.createdAt,
  });
