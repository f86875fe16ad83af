import { DateTimeScalar, SafeIntScalar } from '@sky/server-kit';
import { BusinessReport } from './BusinessReport.ts';
import { Workspace } from './Workspace.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Address } from './Address.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  SafeInt: SafeIntScalar,
  Query,
  Mutation,
  User,
  Address,
  BusinessReport,
  Workspace,
};
