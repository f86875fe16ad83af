import { DateTimeScalar } from '@sky/server-kit';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Delivery } from './Delivery.ts';
import { DeliveryOffer } from './DeliveryOffer.ts';
import { LocationPoint } from './LocationPoint.ts';
import { Order } from './Order.ts';
import { Query } from './Query.ts';
import { Rider } from './Rider.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Rider,
  Delivery,
  DeliveryOffer,
  LocationPoint,
  User,
  Order,
};
