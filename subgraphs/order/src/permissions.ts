import { allow, deny, shield } from 'graphql-shield';
import { isAuthenticated, ownerRule } from '@sky/auth';
import { forbidden } from '@sky/errors';
import type { Cart, Order } from './__generated__/prisma/client.ts';
import {
  canListOrdersOfMerchant,
  canListOrdersOfUser,
  canViewCart,
  canViewOrder,
} from './access.ts';

/** The order's customer, its merchant's staff or an admin (riders: a later change). */
const mayViewOrder = ownerRule<Order>('mayViewOrder', (order, viewer) =>
  canViewOrder(viewer, order),
);
/** The cart's owner or an admin. */
const mayViewCart = ownerRule<Cart>('mayViewCart', (cart, viewer) => canViewCart(viewer, cart));
/** `User.orders`: the user themself or an admin. */
const mayListOrdersOfUser = ownerRule<{ id: string }>('mayListOrdersOfUser', (user, viewer) =>
  canListOrdersOfUser(viewer, user.id),
);
/** `Merchant.orders`: that merchant's staff or an admin. */
const mayListOrdersOfMerchant = ownerRule<{ id: string }>(
  'mayListOrdersOfMerchant',
  (merchant, viewer) => canListOrdersOfMerchant(viewer, merchant.id),
);

/**
 * Deny by default: every type and root field is listed. Order and Cart fields carry the ownership
 * rules, so `_entities` (allowed for the gateway) and every list reveal no more than those allow.
 * Types that are only reachable through an order or a cart (items, address, history, money) are
 * allowed: their parent was already checked.
 */
export const permissions = shield(
  {
    Query: {
      '*': deny,
      _service: allow,
      _entities: allow,
      order: isAuthenticated,
      myOrders: isAuthenticated,
      myCart: isAuthenticated,
      myCarts: isAuthenticated,
    },
    _Service: allow,
    Order: mayViewOrder,
    OrderItem: allow,
    OrderAddress: allow,
    OrderStatusChange: allow,
    OrderConnection: allow,
    OrderEdge: allow,
    PageInfo: allow,
    Cart: mayViewCart,
    CartItem: allow,
    Money: allow,
    GeoPoint: allow,
    Dish: allow,
    SetMeal: allow,
    User: {
      '*': deny,
      id: allow,
      orders: mayListOrdersOfUser,
    },
    Merchant: {
      '*': deny,
      id: allow,
      orders: mayListOrdersOfMerchant,
    },
  },
  {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    // Domain errors thrown by resolvers (with their codes) pass through unchanged.
    allowExternalErrors: true,
  },
);
