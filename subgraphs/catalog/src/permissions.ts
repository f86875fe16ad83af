import { allow, deny } from 'graphql-shield';
import {
  hasAnyRole,
  hasRole,
  isAdmin,
  isStaffOf,
  type Viewer,
  closed,
  fields,
  type RuleTree,
  denyByDefault,
} from '@sky/auth';
import { mayViewReport } from '@sky/server-kit';
import { badUserInput, forbidden, unauthenticated } from '@sky/errors';

/**
 * All of the catalog's authorization: who may manage a merchant (checked by the management
 * service per entity), who sees the hidden parts of a menu (filtered by the stores), and the
 * shield over the schema.
 */

/**
 * Who may manage a merchant's shop and menu: its own staff and admins. The shield only lets
 * MERCHANT_STAFF and ADMIN reach the mutations; these checks add the ownership that depends on
 * the merchant being changed.
 */

/**
 * The merchant a management call acts on: staff act on their own merchant (naming another one is
 * FORBIDDEN); admins must name it.
 */
export function merchantToManage(viewer: Viewer | null, requested: string | null | undefined) {
  if (!viewer) throw unauthenticated();
  if (isAdmin(viewer)) {
    if (!requested) throw badUserInput('"merchantId" is required for admins.', 'merchantId');
    return requested;
  }
  if (hasRole(viewer, 'MERCHANT_STAFF') && viewer.merchantId) {
    if (requested && requested !== viewer.merchantId) throw notYourMerchant();
    return viewer.merchantId;
  }
  throw forbidden('Only the merchant’s staff and admins may manage its shop.');
}

/** Refuses unless the viewer is staff of `merchantId` or an admin. */
export function assertManages(viewer: Viewer | null, merchantId: string): void {
  if (!viewer) throw unauthenticated();
  if (!isAdmin(viewer) && !isStaffOf(viewer, merchantId)) throw notYourMerchant();
}

const notYourMerchant = () =>
  forbidden('You may only manage the shop and menu of your own merchant.');

/**
 * Who may see the hidden parts of a menu: disabled categories and dishes or set meals that are
 * off sale (or listed under a disabled category). Everyone else simply does not see them: they
 * are filtered out, as if they did not exist, rather than refused with an error.
 */
export type HiddenMenuAccess =
  { kind: 'all' } | { kind: 'merchant'; merchantId: string } | { kind: 'none' };

export function hiddenMenuAccess(viewer: Viewer | null): HiddenMenuAccess {
  if (isAdmin(viewer)) return { kind: 'all' };
  if (viewer?.merchantId && hasRole(viewer, 'MERCHANT_STAFF')) {
    return { kind: 'merchant', merchantId: viewer.merchantId };
  }
  return { kind: 'none' };
}

/** Whether the viewer sees the hidden parts of this merchant's menu (its staff and admins). */
export function seesHiddenMenuOf(viewer: Viewer | null, merchantId: string): boolean {
  return isAdmin(viewer) || isStaffOf(viewer, merchantId);
}

/** Whether a category is shown to the viewer. */
export function isCategoryVisible(
  category: { merchantId: string; enabled: boolean },
  viewer: Viewer | null,
): boolean {
  return category.enabled || seesHiddenMenuOf(viewer, category.merchantId);
}

/**
 * Management is for merchant staff and admins: anonymous callers get UNAUTHENTICATED, every
 * other role FORBIDDEN. Which merchant a staff member may change depends on the entity, so that
 * check (another merchant's staff: FORBIDDEN) is made by CatalogManagement (`merchantToManage`,
 * `assertManages` above).
 */
const managesMenus = hasAnyRole('MERCHANT_STAFF', 'ADMIN');

/**
 * Browsing the catalog is public: it needs no sign-in, so every listed query field is allowed;
 * mutations are for merchant staff and admins (`managesMenus`). What only a merchant's staff and
 * admins may see (disabled categories, off-sale dishes and set meals) is not refused here but
 * filtered out by the stores (see visibility.ts), so those items do not exist for other callers:
 * `dish(id)` and `_entities` answer null, lists leave them out.
 *
 * Deny by default: every type and root field is listed, and anything added to the schema later
 * stays closed until it is given a rule here.
 *
 * Every type closes its remaining fields with `'*': deny`, so a field added later answers
 * FORBIDDEN until it gets a rule; `rules` is exported for the test that names such fields.
 */
export const rules: RuleTree = {
  Query: {
    '*': deny,
    _service: allow,
    _entities: allow,
    merchant: allow,
    merchants: allow,
    dish: allow,
    searchDishes: allow,
    setMeal: allow,
  },
  Mutation: {
    '*': deny,
    createCategory: managesMenus,
    updateCategory: managesMenus,
    setCategoryEnabled: managesMenus,
    deleteCategory: managesMenus,
    createDish: managesMenus,
    updateDish: managesMenus,
    putDishOnSale: managesMenus,
    takeDishOffSale: managesMenus,
    deleteDish: managesMenus,
    createSetMeal: managesMenus,
    updateSetMeal: managesMenus,
    putSetMealOnSale: managesMenus,
    takeSetMealOffSale: managesMenus,
    deleteSetMeal: managesMenus,
    // A new shop is the platform's decision; its staff manage it afterwards.
    createMerchant: hasAnyRole('ADMIN'),
    updateMerchant: managesMenus,
    setMerchantStatus: managesMenus,
    pauseMerchant: managesMenus,
    resumeMerchant: managesMenus,
    setBusinessHours: managesMenus,
    // Which merchant's uploads a staff member may touch is checked by ImageUploads.
    createImageUpload: managesMenus,
    completeImageUpload: managesMenus,
  },
  // Only the staff and admins who may create or complete an upload ever receive these types.
  CreateImageUploadPayload: closed(fields('upload uploadUrl fields', allow)),
  UploadFormField: closed(fields('name value', allow)),
  ImageUpload: closed(
    fields(
      'id purpose status contentType maxByteSize expiresAt imageUrl thumbnailUrl width height thumbnailWidth thumbnailHeight',
      allow,
    ),
  ),
  TakeDishOffSalePayload: closed(fields('dish setMealsTakenOffSale', allow)),
  _Service: closed(fields('sdl', allow)),
  // Report contributions: every field checks the entity's key (scope) against the caller.
  Workspace: closed(fields('id dishOverview setMealOverview', mayViewReport)),
  SaleOverview: closed(fields('onSale offSale', allow)),
  Merchant: closed(
    fields(
      'id name description logoUrl logoThumbnailUrl phone address location status pausedUntil businessHours timezone deliveryRadiusMeters minimumOrder deliveryFee packingFeePerItem defaultPrepMinutes isOpenNow categories dishes setMeals createdAt',
      allow,
    ),
  ),
  MerchantConnection: closed(fields('edges pageInfo', allow)),
  MerchantEdge: closed(fields('cursor node distanceMeters estimatedDeliveryMinutes', allow)),
  BusinessHours: closed(fields('dayOfWeek opensAt closesAt', allow)),
  Category: closed(fields('id merchant name type sortOrder enabled', allow)),
  Dish: closed(
    fields(
      'id merchant category name price imageUrl thumbnailUrl description onSale dailyStock stockLeftToday flavors createdAt updatedAt',
      allow,
    ),
  ),
  DishFlavor: closed(fields('name options', allow)),
  DishConnection: closed(fields('edges pageInfo', allow)),
  DishEdge: closed(fields('cursor node', allow)),
  SetMeal: closed(
    fields('id merchant category name price imageUrl thumbnailUrl description onSale items', allow),
  ),
  SetMealItem: closed(fields('dish copies', allow)),
  SetMealConnection: closed(fields('edges pageInfo', allow)),
  SetMealEdge: closed(fields('cursor node', allow)),
  Money: closed(fields('amount currency', allow)),
  GeoPoint: closed(fields('latitude longitude', allow)),
  PageInfo: closed(fields('hasNextPage endCursor', allow)),
};

export const permissions = denyByDefault(rules);
