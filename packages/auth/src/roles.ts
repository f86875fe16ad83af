/**
 * MERCHANT_MANAGER is always held together with MERCHANT_STAFF (same `merchantId`): every staff
 * check keeps working for managers, and the extra role only opens the staff-account management of
 * that merchant (user subgraph).
 */
export const Roles = ['CUSTOMER', 'MERCHANT_STAFF', 'MERCHANT_MANAGER', 'RIDER', 'ADMIN'] as const;
export type Role = (typeof Roles)[number];

/** Who is calling, as proven by a verified access token. */
export interface Viewer {
  userId: string;
  roles: Role[];
  /** Set for MERCHANT_STAFF: the merchant whose staff the user is. */
  merchantId: string | null;
  /** Seconds since epoch when the token expires (subscriptions close then). */
  expiresAt: number;
  /** The raw token, forwarded on service-to-service calls. */
  token: string;
}

export const hasRole = (viewer: Viewer | null, role: Role): boolean =>
  viewer !== null && viewer.roles.includes(role);

export const isAdmin = (viewer: Viewer | null): boolean => hasRole(viewer, 'ADMIN');

export const isStaffOf = (viewer: Viewer | null, merchantId: string): boolean =>
  hasRole(viewer, 'MERCHANT_STAFF') && viewer?.merchantId === merchantId;

/** A manager of `merchantId`: may manage the staff accounts of that merchant. */
export const isManagerOf = (viewer: Viewer | null, merchantId: string | null): boolean =>
  merchantId !== null && isStaffOf(viewer, merchantId) && hasRole(viewer, 'MERCHANT_MANAGER');
