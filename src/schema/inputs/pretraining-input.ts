import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { BadImagePolicy, Domain, PretrainKind } from '../enums.js';
import { TrainingOutputInput } from './training-output-input.js';

@InputType({ description: 'VAE options (kind VAE only): KL annealing and free bits against a vanishing KL term.' })
export class VaeOptionsInput {
  @Field(() => Float, { defaultValue: 1, description: 'Final weight of the KL term, 0 to 100.' }) klWeight!: number;
  @Field(() => Int, { defaultValue: 10, description: 'Epochs over which the KL weight ramps up from 0.' }) klWarmupEpochs!: number;
  @Field(() => Float, { defaultValue: 0.5, description: 'Minimum KL (nats) per latent dimension before it is penalised.' })
  freeBits!: number;
}

@InputType({ description: "Pretrain an autoencoder (or VAE) on one domain. Defaults are the paper's." })
export class PretrainingInput extends TrainingOutputInput {
  @Field(() => PretrainKind, { defaultValue: PretrainKind.AE }) kind!: PretrainKind;
  @Field(() => ID) datasetId!: string;
  @Field(() => Domain, { description: 'Domain the autoencoder reconstructs; its generator later outputs this domain.' }) domain!: Domain;
  @Field(() => Int, { defaultValue: 32, description: 'Square side, a multiple of 8 between 16 and 256.' }) imageSize!: number;
  @Field(() => Int, { defaultValue: 64, description: 'Generator filters of the first layer, 1 to 256.' }) ngf!: number;
  @Field(() => Int, { defaultValue: 3, description: 'Generator residual blocks, 1 to 12.' }) nBlocks!: number;
  @Field(() => Int, { defaultValue: 16, description: 'Latent size, 1 to 1024.' }) latentSize!: number;
  @Field(() => Int, { defaultValue: 25, description: '1 to 10000.' }) epochs!: number;
  @Field(() => Int, { defaultValue: 1, description: '1 to 64.' }) batchSize!: number;
  @Field(() => Float, { defaultValue: 1e-6, description: 'Adam learning rate, greater than 0 and at most 1.' }) learningRate!: number;
  @Field(() => Int, { nullable: true, description: 'Random seed (0 to 2^31-1); drawn and stored when omitted.' }) seed?: number | null;
  @Field(() => Int, { nullable: true, description: 'Use only the first N training images (null: all).' }) maxTrainImages?: number | null;
  @Field(() => BadImagePolicy, { defaultValue: BadImagePolicy.FAIL }) onBadImage!: BadImagePolicy;
  @Field(() => VaeOptionsInput, { nullable: true, description: 'Kind VAE only; defaults apply when omitted.' }) vae?: VaeOptionsInput | null;
  @Field(() => [String], { defaultValue: [] }) tags!: string[];
}
