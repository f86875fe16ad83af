import { allow, deny, shield } from 'graphql-shield';
import { hasAnyRole } from '@sky/auth';
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
 */
export const permissions = shield(
  {
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
    TakeDishOffSalePayload: allow,
    _Service: allow,
    Merchant: allow,
    MerchantConnection: allow,
    MerchantEdge: allow,
    BusinessHours: allow,
    Category: allow,
    Dish: allow,
    DishFlavor: allow,
    DishConnection: allow,
    DishEdge: allow,
    SetMeal: allow,
    SetMealItem: allow,
    SetMealConnection: allow,
    SetMealEdge: allow,
    Money: allow,
    GeoPoint: allow,
    PageInfo: allow,
  },
  {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    // Domain errors thrown by resolvers (with their codes) pass through unchanged.
    allowExternalErrors: true,
  },
);
