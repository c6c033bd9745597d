import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A saved training state (networks, optimizers, RNG) a run can resume from.' })
export class Checkpoint {
  @Field(() => Int) epoch!: number;
  @Field(() => String, { description: 'Folder relative to the data dir.' }) path!: string;
  @Field(() => String, { description: 'Where the server serves the folder files (append a file name).' }) url!: string;
  @Field(() => Float) bytes!: number;
  @Field(() => String) sha256!: string;
  @Field(() => DateTimeResolver) createdAt!: Date;
}
