import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { EpochRow } from '../../store/epochs.js';

@ObjectType({ description: 'A named number, e.g. one loss.' })
export class NamedValue {
  @Field(() => String) name!: string;
  @Field(() => Float) value!: number;
}

@ObjectType({ description: 'SSIM over the fixed test subset for one comparison, e.g. real_vs_fake_A.' })
export class SsimEntry {
  @Field(() => String) name!: string;
  @Field(() => Float) mean!: number;
  @Field(() => Float) std!: number;
  @Field(() => Int) n!: number;
}

@ObjectType({ description: 'Summary of one training epoch.' })
export class Epoch {
  @Field(() => Int) epoch!: number;
  @Field(() => [NamedValue], { description: 'Every loss of the run averaged over the epoch, by name.' }) losses!: NamedValue[];
  @Field(() => Float, { description: 'Learning rate used in the epoch.' }) lr!: number;
  @Field(() => [SsimEntry], { description: 'Empty in epochs without SSIM (see ssimEvery).' }) ssim!: SsimEntry[];
  @Field(() => Float) durationMs!: number;
  @Field(() => DateTimeResolver) createdAt!: Date;

  static fromRow(row: EpochRow): Epoch {
    return Object.assign(new Epoch(), {
      epoch: row.epoch,
      losses: Object.entries(row.losses).map(([name, value]) => ({ name, value })),
      lr: row.lr,
      ssim: Object.entries(row.ssim ?? {}).map(([name, s]) => ({ name, mean: s.mean, std: s.std, n: s.n })),
      durationMs: row.durationMs,
      createdAt: row.createdAt,
    });
  }
}
