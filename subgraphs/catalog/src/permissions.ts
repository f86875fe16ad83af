import { allow, deny, shield } from 'graphql-shield';
import { forbidden } from '@sky/errors';

/**
 * The catalog is public: browsing needs no sign-in, so every listed field is allowed. What only
 * a merchant's staff and admins may see (disabled categories, off-sale dishes and set meals) is
 * not refused here but filtered out by the stores (see visibility.ts), so those items do not
 * exist for other callers: `dish(id)` and `_entities` answer null, lists leave them out.
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
