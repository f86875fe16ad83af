import { allow, deny } from 'graphql-shield';
import {
  hasAnyRole,
  isAdmin,
  isManagerOf,
  isAuthenticated,
  ownerRule,
  closed,
  fields,
  type RuleTree,
  denyByDefault,
} from '@sky/auth';
import { mayViewReport } from '@sky/server-kit';
import type { Address, User } from './stores/index.ts';

/** The user themself or an admin. */
const isSelfOrAdmin = ownerRule<User>(
  'isSelfOrAdmin',
  (user, viewer) => viewer.userId === user.id || isAdmin(viewer),
);
/** The account's own fields: the user themself, an admin, or a manager of the user's merchant. */
const isSelfAdminOrManager = ownerRule<User>(
  'isSelfAdminOrManager',
  (user, viewer) =>
    viewer.userId === user.id || isAdmin(viewer) || isManagerOf(viewer, user.merchantId),
);
/** The address's owner or an admin. */
const ownsAddress = ownerRule<Address>(
  'ownsAddress',
  (address, viewer) => viewer.userId === address.userId || isAdmin(viewer),
);
const adminOnly = hasAnyRole('ADMIN');
/** Staff administration; which merchant and which account is checked in AccountService. */
const managesStaff = hasAnyRole('MERCHANT_MANAGER', 'ADMIN');

/**
 * Deny by default: every type and root field is listed. Entity fields carry the ownership rules,
 * so `_entities` (allowed for the gateway) reveals no more than the entity's own rules allow.
 *
 * Every type closes its remaining fields with `'*': deny`, so a field added later answers
 * FORBIDDEN until it gets a rule; `rules` is exported for the test that names such fields.
 */
export const rules: RuleTree = {
  Query: {
    '*': deny,
    _service: allow,
    _entities: allow,
    me: allow,
    // Who may read which user is the resolver's (missing or not yours: NOT_FOUND).
    user: isAuthenticated,
    address: isAuthenticated,
    myAddresses: isAuthenticated,
    users: adminOnly,
    // Which merchant's staff a manager may list is checked in AccountService.
    merchantStaff: managesStaff,
  },
  Mutation: {
    '*': deny,
    register: allow,
    login: allow,
    refreshAccessToken: allow,
    logout: allow,
    // The address book is the caller's own: ownership is checked in AddressBookService.
    addAddress: isAuthenticated,
    updateAddress: isAuthenticated,
    deleteAddress: isAuthenticated,
    setDefaultAddress: isAuthenticated,
    changePassword: isAuthenticated,
    // Which merchant's staff, and which account, a manager may act on: AccountService.
    createStaffAccount: managesStaff,
    setAccountDisabled: managesStaff,
    resetPassword: managesStaff,
    createRiderAccount: adminOnly,
  },
  _Service: closed(fields('sdl', allow)),
  // Report contributions: every field checks the entity's key (scope) against the caller.
  BusinessReport: closed(fields('id userDays', mayViewReport)),
  Workspace: closed(fields('id newUsers', mayViewReport)),
  UserDayFigures: closed(fields('date newUsers totalUsers', allow)),
  User: closed({
    ...fields('email phone roles merchant disabled disabledAt', isSelfAdminOrManager),
    ...fields('addresses defaultAddress', isSelfOrAdmin),
    id: allow,
    name: isAuthenticated,
    createdAt: isAuthenticated,
  }),
  Address: closed(
    fields('id user contactName phone label detail location isDefault createdAt', ownsAddress),
  ),
  Merchant: closed(fields('id', allow)),
  // Connections hold users whose fields carry their own rules; only admins and managers get one.
  UserConnection: closed(fields('edges pageInfo', isAuthenticated)),
  UserEdge: closed(fields('cursor node', isAuthenticated)),
  PageInfo: closed(fields('hasNextPage endCursor', allow)),
  GeoPoint: closed(fields('latitude longitude', allow)),
  AuthPayload: closed(
    fields('accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user', allow),
  ),
  // Only the deleter sees it; the address inside carries its own ownership rule.
  DeleteAddressPayload: closed(fields('deletedAddressId defaultAddress', isAuthenticated)),
};

export const permissions = denyByDefault(rules);
