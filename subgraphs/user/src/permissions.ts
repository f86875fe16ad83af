import { allow, deny, rule } from 'graphql-shield';
import {
  isAdmin,
  isAuthenticated,
  ownerRule,
  type ViewerContext,
  closed,
  fields,
  type RuleTree,
  denyByDefault,
} from '@sky/auth';
import { mayViewReport } from '@sky/server-kit';
import { forbidden, unauthenticated } from '@sky/errors';
import type { Address, User } from './stores/index.ts';

/** The user themself or an admin. */
const isSelfOrAdmin = ownerRule<User>(
  'isSelfOrAdmin',
  (user, viewer) => viewer.userId === user.id || isAdmin(viewer),
);
/** The address's owner or an admin. */
const ownsAddress = ownerRule<Address>(
  'ownsAddress',
  (address, viewer) => viewer.userId === address.userId || isAdmin(viewer),
);
/** `user(id)`: admins read anyone, others only themselves. */
const mayReadUserById = rule('mayReadUserById', { cache: 'strict' })((
  _parent,
  args: { id: string },
  ctx: ViewerContext,
) => {
  if (!ctx.viewer) return unauthenticated();
  return args.id === ctx.viewer.userId || isAdmin(ctx.viewer) ? true : forbidden();
});

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
    user: mayReadUserById,
    address: isAuthenticated,
    myAddresses: isAuthenticated,
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
  },
  _Service: closed(fields('sdl', allow)),
  // Report contributions: every field checks the entity's key (scope) against the caller.
  BusinessReport: closed(fields('id userDays', mayViewReport)),
  Workspace: closed(fields('id newUsers', mayViewReport)),
  UserDayFigures: closed(fields('date newUsers totalUsers', allow)),
  User: closed({
    ...fields('email phone roles merchant addresses defaultAddress', isSelfOrAdmin),
    id: allow,
    name: isAuthenticated,
    createdAt: isAuthenticated,
  }),
  Address: closed(
    fields('id user contactName phone label detail location isDefault createdAt', ownsAddress),
  ),
  Merchant: closed(fields('id', allow)),
  GeoPoint: closed(fields('latitude longitude', allow)),
  AuthPayload: closed(
    fields('accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user', allow),
  ),
  // Only the deleter sees it; the address inside carries its own ownership rule.
  DeleteAddressPayload: closed(fields('deletedAddressId defaultAddress', isAuthenticated)),
};

export const permissions = denyByDefault(rules);
