import {
  hasAnyRole,
  isAdmin,
  isAuthenticated,
  isStaffOf,
  ownerRule,
  type Viewer,
  type ViewerContext,
  closed,
  fields,
  type RuleTree,
  denyByDefault,
} from '@sky/auth';
import { allow, deny, rule } from 'graphql-shield';
import { forbidden, unauthenticated } from '@sky/errors';
import type { Cart, Order, RefundRequest } from './stores/index.ts';
import { canViewReport, mayViewReport } from '@sky/server-kit';

/**
 * All of the order subgraph's authorization, as written in schema/order.graphql: who may see
 * which order, cart and list, and the shield over the schema. The shield, the `order(id)`
 * resolver, the services and the live subscriptions decide with the same functions, so they never
 * disagree.
 */

/** The parts of an order its visibility depends on. */
export interface OrderAudience {
  customerId: string;
  merchantId: string;
  /** The account of the rider currently assigned (from delivery's events); null while none is. */
  riderUserId?: string | null;
}

/**
 * An order is visible to the customer who placed it, to its merchant's staff, to the rider
 * currently assigned to deliver it (no longer once unassigned) and to admins.
 */
export function canViewOrder(viewer: Viewer | null, order: OrderAudience): boolean {
  if (!viewer) return false;
  return (
    viewer.userId === order.customerId ||
    isStaffOf(viewer, order.merchantId) ||
    isAssignedRider(viewer, order) ||
    isAdmin(viewer)
  );
}

/** The viewer's account is the one of the rider delivery assigned to the order. */
export function isAssignedRider(viewer: Viewer, order: OrderAudience): boolean {
  return !!order.riderUserId && viewer.userId === order.riderUserId;
}

/**
 * An after-sale refund request is between the order's customer and its merchant: they and admins
 * see it (the rider who delivered the order does not).
 */
export function canViewRefundRequest(
  viewer: Viewer | null,
  request: { customerId: string; merchantId: string },
): boolean {
  if (!viewer) return false;
  return (
    viewer.userId === request.customerId || isStaffOf(viewer, request.merchantId) || isAdmin(viewer)
  );
}

/** A cart is the customer's own; admins may look at it (support), nobody else. */
export function canViewCart(viewer: Viewer | null, cart: { customerId: string }): boolean {
  if (!viewer) return false;
  return viewer.userId === cart.customerId || isAdmin(viewer);
}

/** `User.orders`: the user themself or an admin. */
export function canListOrdersOfUser(viewer: Viewer | null, userId: string): boolean {
  if (!viewer) return false;
  return viewer.userId === userId || isAdmin(viewer);
}

/** `Merchant.orders`: that merchant's staff or an admin. */
export function canListOrdersOfMerchant(viewer: Viewer | null, merchantId: string): boolean {
  if (!viewer) return false;
  return isStaffOf(viewer, merchantId) || isAdmin(viewer);
}

/** The order's customer, its merchant's staff, its assigned rider or an admin. */
const mayViewOrder = ownerRule<Order>('mayViewOrder', (order, viewer) =>
  canViewOrder(viewer, order),
);
/** The request's customer, its merchant's staff or an admin. */
const mayViewRefundRequest = ownerRule<RefundRequest>('mayViewRefundRequest', (request, viewer) =>
  canViewRefundRequest(viewer, request),
);
/** The cart's owner or an admin. */
const mayViewCart = ownerRule<Cart>('mayViewCart', (cart, viewer) => canViewCart(viewer, cart));
/**
 * `Cart.checkoutPreview`: the cart's owner only. The preview reads the caller's own cart and
 * address book, as `placeOrder` does, so an admin looking at someone's cart cannot preview it.
 */
const mayPreviewCart = ownerRule<Cart>(
  'mayPreviewCart',
  (cart, viewer) => !!viewer && viewer.userId === cart.customerId,
);
/** `User.orders`: the user themself or an admin. */
const mayListOrdersOfUser = ownerRule<{ id: string }>('mayListOrdersOfUser', (user, viewer) =>
  canListOrdersOfUser(viewer, user.id),
);
/** `Merchant.orders`: that merchant's staff or an admin. */
const mayListOrdersOfMerchant = ownerRule<{ id: string }>(
  'mayListOrdersOfMerchant',
  (merchant, viewer) => canListOrdersOfMerchant(viewer, merchant.id),
);

/** `merchantOrders` / `merchantOrderCounts`: the merchant in the arguments is the caller's, or an admin asks. */
const mayManageMerchantOrders = rule('mayManageMerchantOrders', { cache: 'strict' })((
  _parent,
  args: { merchantId: string },
  ctx: ViewerContext,
) => {
  if (!ctx.viewer) return unauthenticated();
  return canListOrdersOfMerchant(ctx.viewer, args.merchantId) ? true : forbidden();
});

/**
 * `businessReport` / `workspace`: a merchant's for its staff and admins, the platform's (no
 * merchantId) for admins only; customers and riders never.
 */
const mayViewReportOf = rule('mayViewReportOf', { cache: 'strict' })((
  _parent,
  args: { merchantId?: string | null },
  ctx: ViewerContext,
) => {
  if (!ctx.viewer) return unauthenticated();
  return canViewReport(ctx.viewer, args.merchantId?.toLowerCase() ?? null) ? true : forbidden();
});

/** Shopping and ordering: the customer's own actions (ownership is checked again per order). */
const isCustomer = hasAnyRole('CUSTOMER');
/** The merchant console's actions (which merchant is checked per order). */
const isMerchantStaffOrAdmin = hasAnyRole('MERCHANT_STAFF', 'ADMIN');
const isAdminRole = hasAnyRole('ADMIN');

/**
 * Deny by default: every type and root field is listed. Order and Cart fields carry the ownership
 * rules, so `_entities` (allowed for the gateway) and every list reveal no more than those allow.
 * Types that are only reachable through an order or a cart (items, address, history, money) are
 * allowed: their parent was already checked.
 *
 * Every type closes its remaining fields with `'*': deny`, so a field added later answers
 * FORBIDDEN until it gets a rule; `rules` is exported for the test that names such fields.
 */
export const rules: RuleTree = {
  Query: {
    '*': deny,
    _service: allow,
    _entities: allow,
    order: isAuthenticated,
    myOrders: isAuthenticated,
    myCart: isAuthenticated,
    myCarts: isAuthenticated,
    merchantOrders: mayManageMerchantOrders,
    merchantOrderCounts: mayManageMerchantOrders,
    businessReport: mayViewReportOf,
    workspace: mayViewReportOf,
  },
  Mutation: {
    '*': deny,
    addToCart: isCustomer,
    decrementCartItem: isCustomer,
    removeCartItem: isCustomer,
    clearCart: isCustomer,
    placeOrder: isCustomer,
    cancelOrder: isCustomer,
    remindOrder: isCustomer,
    reorder: isCustomer,
    acceptOrder: isMerchantStaffOrAdmin,
    markFoodReady: isMerchantStaffOrAdmin,
    rejectOrder: isMerchantStaffOrAdmin,
    merchantCancelOrder: isMerchantStaffOrAdmin,
    adminCancelOrder: isAdminRole,
    // After-sale: which order and merchant is checked per request (RefundRequests).
    requestRefund: isCustomer,
    approveRefundRequest: isMerchantStaffOrAdmin,
    rejectRefundRequest: isMerchantStaffOrAdmin,
  },
  // Who may follow which order or merchant is decided when subscribing (LiveFeeds) and per event.
  Subscription: {
    '*': deny,
    orderStatusChanged: isAuthenticated,
    merchantOrderEvents: isAuthenticated,
  },
  MerchantOrderEvent: closed(fields('kind order at refundRequest', allow)),
  // The report entities are checked on every field against their key (also when the gateway
  // resolves them through `_entities`); the figure types below are reachable only through them.
  BusinessReport: closed(
    fields('id scope merchant from to timeZone currency days totals topSellers', mayViewReport),
  ),
  Workspace: closed(fields('id scope merchant date timeZone today orderOverview', mayViewReport)),
  OrderDayFigures: closed(fields('date figures', allow)),
  OrderFigures: closed(
    fields('turnover orders validOrders cancelledOrders completionRate averageOrderValue', allow),
  ),
  TopSeller: closed(fields('dish setMeal name quantity', allow)),
  OrderOverview: closed(
    fields(
      'pendingPayment toBeConfirmed confirmed deliveryInProgress completed cancelled all',
      allow,
    ),
  ),
  _Service: closed(fields('sdl', allow)),
  Order: closed(
    fields(
      'id orderNumber status payStatus customer merchant items itemsTotal packingFee deliveryFee total remark tablewareCount deliverAsSoonAsPossible scheduledDeliveryAt estimatedDeliveryAt prepMinutes estimatedReadyAt foodReadyAt address pickupLocation deliveryWaiting deliveryWaitingSince cancelReason rejectionReason cancelledBy statusHistory paymentDueAt lastRemindedAt version placedAt paidAt confirmedAt pickedUpAt completedAt cancelledAt updatedAt paymentFailure refundedAmount refundRequests',
      mayViewOrder,
    ),
  ),
  PaymentFailure: closed(fields('outcome reason at', allow)),
  RefundRequest: closed(
    fields(
      'id order status amount items reason photoUrl decidedBy decisionReason decidedAt refundedAt createdAt',
      mayViewRefundRequest,
    ),
  ),
  RefundRequestItem: closed(fields('orderItem quantity amount', allow)),
  OrderItem: closed(
    fields('id dish setMeal name imageUrl flavor quantity unitPrice lineTotal', allow),
  ),
  OrderAddress: closed(fields('contactName phone detail label location', allow)),
  OrderStatusChange: closed(fields('from to actor actorUserId reason prepMinutes at', allow)),
  OrderConnection: closed(fields('edges pageInfo totalCount', allow)),
  OrderStatusCount: closed(fields('status count', allow)),
  OrderReminder: closed(fields('order remindedAt nextReminderAllowedAt', allow)),
  ReorderPayload: closed(fields('cart lines', allow)),
  ReorderLine: closed(
    fields(
      'dish setMeal name flavor quantity previousUnitPrice currentUnitPrice outcome unavailableReason',
      allow,
    ),
  ),
  OrderEdge: closed(fields('cursor node', allow)),
  PageInfo: closed(fields('hasNextPage endCursor', allow)),
  Cart: closed({
    ...fields('id customer merchant items itemCount subtotal', mayViewCart),
    checkoutPreview: mayPreviewCart,
  }),
  CheckoutPreview: closed(
    fields(
      'lines itemsTotal packingFee deliveryFee total minimumOrder minimumOrderGap open distanceMeters deliveryRadiusMeters inRange serviceable refusal estimatedDeliveryMinutes estimatedDeliveryAt',
      allow,
    ),
  ),
  CheckoutLine: closed(fields('dish setMeal name flavor quantity unitPrice lineTotal', allow)),
  CheckoutRefusal: closed(fields('code message', allow)),
  CartItem: closed(fields('id dish setMeal flavor quantity unitPrice name imageUrl', allow)),
  Money: closed(fields('amount currency', allow)),
  GeoPoint: closed(fields('latitude longitude', allow)),
  Dish: closed(fields('id', allow)),
  SetMeal: closed(fields('id', allow)),
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
};

export const permissions = denyByDefault(rules);
