import { DateTimeScalar, SafeIntScalar } from '@sky/server-kit';
import { BusinessReport } from './BusinessReport.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Delivery } from './Delivery.ts';
import { DeliveryOffer } from './DeliveryOffer.ts';
import { DeliveryOfferEvent } from './DeliveryOfferEvent.ts';
import { LocationPoint } from './LocationPoint.ts';
import { Mutation } from './Mutation.ts';
import { Order } from './Order.ts';
import { Query } from './Query.ts';
import { Rider } from './Rider.ts';
import { Subscription } from './Subscription.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  SafeInt: SafeIntScalar,
  BusinessReport,
  Query,
  Mutation,
  Subscription,
  Rider,
  Delivery,
  DeliveryOffer,
  DeliveryOfferEvent,
  LocationPoint,
  User,
  Order,
};
