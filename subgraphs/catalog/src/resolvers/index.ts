import { DateTimeScalar, SafeIntScalar } from '@sky/server-kit';
import { Workspace } from './Workspace.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Category } from './Category.ts';
import { Dish } from './Dish.ts';
import { ImageUpload } from './ImageUpload.ts';
import { Merchant } from './Merchant.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { SetMeal } from './SetMeal.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  SafeInt: SafeIntScalar,
  Workspace,
  Query,
  Mutation,
  Merchant,
  Category,
  Dish,
  SetMeal,
  ImageUpload,
};
