import type { Viewer } from '@sky/auth';
import { unauthenticated } from '@sky/errors';
import type { IssuedTokens } from '../services/authentication.ts';
import type { UserContext } from '../context.ts';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';

/**
 * The rest of a sign-in response (`AuthPayload.user { email ... }`) is read as the user who just
 * signed in, so the rules on User fields see that user as the viewer.
 */
function signedIn(context: UserContext, issued: IssuedTokens): IssuedTokens {
  const viewer: Viewer = {
    userId: issued.user.id,
    roles: issued.user.roles,
    merchantId: issued.user.merchantId,
    expiresAt: Math.floor(issued.accessTokenExpiresAt.getTime() / 1000),
    token: issued.accessToken,
  };
  context.viewer = viewer;
  return issued;
}

export const Mutation: MutationResolvers = {
  register: async (_parent, { input }, context) =>
    signedIn(context, await context.auth.register(input)),
  login: async (_parent, { input }, context) => signedIn(context, await context.auth.login(input)),
  refreshAccessToken: async (_parent, { refreshToken }, context) =>
    signedIn(context, await context.auth.refresh(refreshToken)),
  logout: async (_parent, { refreshToken }, { auth }) => {
    await auth.logout(refreshToken);
    return true;
  },
  addAddress: (_parent, { input }, { viewer, addressBook }) => addressBook.add(viewer, input),
  updateAddress: (_parent, { id, input }, { viewer, addressBook }) =>
    addressBook.update(viewer, id, input),
  deleteAddress: (_parent, { id }, { viewer, addressBook }) => addressBook.remove(viewer, id),
  setDefaultAddress: (_parent, { id }, { viewer, addressBook }) =>
    addressBook.setDefault(viewer, id),
  changePassword: async (_parent, input, context) => {
    if (!context.viewer) throw unauthenticated();
    return signedIn(context, await context.auth.changePassword(context.viewer.userId, input));
  },
  createStaffAccount: (_parent, { input }, { accounts }) => accounts.createStaff(input),
  createRiderAccount: (_parent, { input }, { accounts }) => accounts.createRider(input),
  setAccountDisabled: (_parent, { userId, disabled }, { accounts }) =>
    accounts.setDisabled(userId, disabled),
  resetPassword: (_parent, { userId, newPassword }, { accounts }) =>
    accounts.resetPassword(userId, newPassword),
};
