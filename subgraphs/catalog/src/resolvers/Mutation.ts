import type { MutationResolvers } from '../__generated__/resolvers-types.ts';
import type { CatalogContext } from '../context.ts';

type AnyResolver = (
  parent: unknown,
  args: unknown,
  context: CatalogContext,
  info: unknown,
) => unknown;

/**
 * Every catalog mutation that succeeds has committed (the stores own the transactions) and may
 * have changed what anonymous browsers see, so it is announced to the gateway's response cache.
 */
function announcingChanges(resolvers: MutationResolvers): MutationResolvers {
  return Object.fromEntries(
    Object.entries(resolvers).map(([field, resolve]) => [
      field,
      async (parent: unknown, args: unknown, context: CatalogContext, info: unknown) => {
        const result = await (resolve as AnyResolver)(parent, args, context, info);
        await context.catalogChanged();
        return result;
      },
    ]),
  ) as MutationResolvers;
}

// Ownership, validation and the rules of the menu live in CatalogManagement (management.ts).
export const Mutation: MutationResolvers = announcingChanges({
  createCategory: (_parent, { input }, { management }) => management.createCategory(input),
  updateCategory: (_parent, { id, input }, { management }) => management.updateCategory(id, input),
  setCategoryEnabled: (_parent, { id, enabled }, { management }) =>
    management.setCategoryEnabled(id, enabled),
  deleteCategory: (_parent, { id }, { management }) => management.deleteCategory(id),
  createDish: (_parent, { input }, { management }) => management.createDish(input),
  updateDish: (_parent, { id, input }, { management }) => management.updateDish(id, input),
  putDishOnSale: (_parent, { id }, { management }) => management.putDishOnSale(id),
  takeDishOffSale: (_parent, { id }, { management }) => management.takeDishOffSale(id),
  deleteDish: (_parent, { id }, { management }) => management.deleteDish(id),
  createSetMeal: (_parent, { input }, { management }) => management.createSetMeal(input),
  updateSetMeal: (_parent, { id, input }, { management }) => management.updateSetMeal(id, input),
  putSetMealOnSale: (_parent, { id }, { management }) => management.putSetMealOnSale(id),
  takeSetMealOffSale: (_parent, { id }, { management }) => management.takeSetMealOffSale(id),
  deleteSetMeal: (_parent, { id }, { management }) => management.deleteSetMeal(id),
  createMerchant: (_parent, { input }, { management }) => management.createMerchant(input),
  updateMerchant: (_parent, { merchantId, input }, { management }) =>
    management.updateMerchant(merchantId, input),
  setMerchantStatus: (_parent, { merchantId, status }, { management }) =>
    management.setMerchantStatus(merchantId, status),
  pauseMerchant: (_parent, { merchantId, until }, { management }) =>
    management.pauseMerchant(merchantId, until),
  resumeMerchant: (_parent, { merchantId }, { management }) =>
    management.resumeMerchant(merchantId),
  setBusinessHours: (_parent, { merchantId, hours }, { management }) =>
    management.setBusinessHours(merchantId, hours),
  // Uploads, their checks and thumbnails live in ImageUploads (images.ts).
  createImageUpload: async (_parent, { input }, { images }) => {
    const { upload, form } = await images.create(input);
    return {
      upload,
      uploadUrl: form.url,
      fields: Object.entries(form.fields).map(([name, value]) => ({ name, value })),
    };
  },
  completeImageUpload: (_parent, { id }, { images }) => images.complete(id),
});
