import { Field, InputType, Int } from 'type-graphql';

/** What every training run writes along the way: checkpoints, per-epoch SSIM, sample PNGs. */
@InputType()
export class TrainingOutputInput {
  @Field(() => Int, {
    nullable: true,
    description: 'Checkpoint every N epochs (the last epoch always gets one), 1 to 10000. Default: every epoch up to imageSize 32, else every 5.',
  })
  checkpointEvery?: number | null;
  @Field(() => Int, { defaultValue: 1, description: 'SSIM on the fixed test subset every N epochs, 1 to 10000.' }) ssimEvery!: number;
  @Field(() => Int, { defaultValue: 32, description: 'Size of the fixed SSIM test subset, 1 to 10000.' }) ssimImages!: number;
  @Field(() => Int, { defaultValue: 4, description: 'Test images written as sample PNGs each epoch, 0 to 64.' }) sampleImages!: number;
}
