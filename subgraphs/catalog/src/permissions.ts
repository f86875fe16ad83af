import { allow, deny, shield } from 'graphql-shield';
import { hasAnyRole, closed, fields, type RuleTree } from '@sky/auth';
import { forbidden } from '@sky/errors';

/**
 * Management is for merchant staff and admins: anonymous callers get UNAUTHENTICATED, every
 * other role FORBIDDEN. Which merchant a staff member may change depends on the entity, so that
 * check (another merchant's staff: FORBIDDEN) is made by CatalogManagement (see access.ts).
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
    updateMerchant: managesMenus,
    setMerchantStatus: managesMenus,
    pauseMerchant: managesMenus,
    resumeMerchant: managesMenus,
    setBusinessHours: managesMenus,
  },
  TakeDishOffSalePayload: closed(fields('dish setMealsTakenOffSale', allow)),
  _Service: closed(fields('sdl', allow)),
  Merchant: closed(
    fields(
      'id name description logoUrl phone address location status pausedUntil businessHours timezone deliveryRadiusMeters minimumOrder deliveryFee packingFeePerItem isOpenNow categories dishes setMeals createdAt',
      allow,
    ),
  ),
  MerchantConnection: closed(fields('edges pageInfo', allow)),
  MerchantEdge: closed(fields('cursor node', allow)),
  BusinessHours: closed(fields('dayOfWeek opensAt closesAt', allow)),
  Category: closed(fields('id merchant name type sortOrder enabled', allow)),
  Dish: closed(
    fields(
      'id merchant category name price imageUrl description onSale dailyStock stockLeftToday flavors createdAt updatedAt',
      allow,
    ),
  ),
  DishFlavor: closed(fields('name options', allow)),
  DishConnection: closed(fields('edges pageInfo', allow)),
  DishEdge: closed(fields('cursor node', allow)),
  SetMeal: closed(
    fields('id merchant category name price imageUrl description onSale items', allow),
  ),
  SetMealItem: closed(fields('dish copies', allow)),
  SetMealConnection: closed(fields('edges pageInfo', allow)),
  SetMealEdge: closed(fields('cursor node', allow)),
  Money: closed(fields('amount currency', allow)),
  GeoPoint: closed(fields('latitude longitude', allow)),
  PageInfo: closed(fields('hasNextPage endCursor', allow)),
};

export const permissions = shield(rules, {
  fallbackRule: deny,
  fallbackError: () => forbidden(),
  // Domain errors thrown by resolvers (with their codes) pass through unchanged.
  allowExternalErrors: true,
});
