import { Field, InputType } from 'type-graphql';

@InputType()
export class RegisterDatasetInput {
  @Field(() => String, { description: '1 to 64 letters, digits or . _ -; unique.' }) name!: string;
  @Field(() => String, { description: 'Folder on the server holding trainA, trainB, testA and testB.' }) root!: string;
}
