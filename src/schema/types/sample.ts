import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Domain, SampleKind } from '../enums.js';

@ObjectType({ description: 'A sample PNG written at the end of an epoch.' })
export class Sample {
  @Field(() => Int) epoch!: number;
  @Field(() => Domain, { description: 'Domain of the input image.' }) domain!: Domain;
  @Field(() => SampleKind) kind!: SampleKind;
  @Field(() => Int, { description: 'Position of the image in the fixed sample set.' }) index!: number;
  @Field(() => String, { description: 'File name of the source test image.' }) image!: string;
  @Field(() => String, { description: 'PNG path relative to the data dir.' }) path!: string;
  @Field(() => String, { description: 'Where the server serves the PNG.' }) url!: string;
  @Field(() => DateTimeResolver) createdAt!: Date;
}
