import type { LocationPointResolvers } from '../__generated__/resolvers-types.ts';

export const LocationPoint: LocationPointResolvers = {
  location: (point) => ({ latitude: point.latitude, longitude: point.longitude }),
};
