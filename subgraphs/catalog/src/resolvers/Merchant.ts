import { toMoney } from '@sky/contracts';
import { formatMinute } from '../domain/business-hours.ts';
import type { MerchantResolvers } from '../__generated__/resolvers-types.ts';
import { isCategoryVisible, seesHiddenMenuOf } from '../permissions.ts';

export const Merchant: MerchantResolvers = {
  logoUrl: (merchant, _args, { images }) => images.url(merchant.logoKey, merchant.logoUrl),
  logoThumbnailUrl: (merchant, _args, { images }) => images.url(merchant.logoThumbnailKey),
  __resolveReference: (reference, { stores }) => stores.merchants.load(reference.id),
  location: (merchant) => ({ latitude: merchant.latitude, longitude: merchant.longitude }),
  businessHours: async (merchant, _args, { stores }) =>
    (await stores.merchants.businessHours(merchant.id)).map((interval) => ({
      dayOfWeek: interval.dayOfWeek,
      opensAt: formatMinute(interval.opensAtMinute),
      closesAt: formatMinute(interval.closesAtMinute),
    })),
  minimumOrder: (merchant) => toMoney(merchant.minimumOrderAmount, merchant.currency),
  deliveryFee: (merchant) => toMoney(merchant.deliveryFeeAmount, merchant.currency),
  packingFeePerItem: (merchant) => toMoney(merchant.packingFeePerItemAmount, merchant.currency),
  isOpenNow: (merchant, _args, { stores, now }) => stores.merchants.isOpen(merchant, now),
  categories: async (merchant, { type }, { stores, viewer }) =>
    (await stores.categories.listForMerchant(merchant.id)).filter(
      (category) => (!type || category.type === type) && isCategoryVisible(category, viewer),
    ),
  // onSaleOnly: false is a staff view; anyone else still gets only what customers see.
  dishes: (merchant, { onSaleOnly, ...args }, { stores, viewer }) =>
    stores.dishes.listForMerchant(merchant.id, {
      ...args,
      publicOnly: onSaleOnly !== false || !seesHiddenMenuOf(viewer, merchant.id),
    }),
  setMeals: (merchant, { onSaleOnly, ...args }, { stores, viewer }) =>
    stores.setMeals.listForMerchant(merchant.id, {
      ...args,
      publicOnly: onSaleOnly !== false || !seesHiddenMenuOf(viewer, merchant.id),
    }),
};
