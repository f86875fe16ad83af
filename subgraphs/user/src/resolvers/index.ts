import { DateTimeScalar } from '@sky/server-kit';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Address } from './Address.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, User, Address };
