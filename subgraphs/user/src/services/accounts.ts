import { hasRole, isAdmin, isManagerOf, type Viewer } from '@sky/auth';
import { isUuid } from '@sky/database';
import { badUserInput, forbidden, notFound, unauthenticated } from '@sky/errors';
import type { PageArgs } from '@sky/server-kit';
import { checkPassword, newAccountFields } from '../domain/account-input.ts';
import type { Role, User, UserStores } from '../stores/index.ts';
import type { UserListFilter } from '../stores/user-store.ts';

/** Hashes a password off the request path's hot cores (see CallerGuard.passwordWork). */
export type PasswordHasher = (password: string) => Promise<string>;

/**
 * Account administration (issue 12): admins onboard staff and riders and disable any account;
 * a merchant's managers do the same for their own merchant's staff. The shield lets only signed-in
 * callers in; the checks here depend on the account being acted on.
 */
export class AccountService {
  constructor(
    private readonly stores: UserStores,
    private readonly viewer: Viewer | null,
    private readonly hash: PasswordHasher,
  ) {}

  /** Every account (admins; the shield checks the role). */
  listUsers(filter: UserListFilter, page: PageArgs) {
    return this.stores.users.list(filter, page);
  }

  /** One merchant's staff: its managers and admins (who must name it). */
  listStaff(merchantId: string | null | undefined, filter: UserListFilter, page: PageArgs) {
    const merchant = this.managedMerchant(merchantId);
    return this.stores.users.list({ ...filter, merchantId: merchant }, page);
  }

  async createStaff(input: {
    merchantId?: string | null;
    email: string;
    password: string;
    name: string;
    phone?: string | null;
    staffRole?: 'STAFF' | 'MANAGER' | null;
  }): Promise<User> {
    const merchantId = this.managedMerchant(input.merchantId);
    const manager = input.staffRole === 'MANAGER';
    if (manager && !isAdmin(this.viewer)) {
      throw forbidden('Only admins may create merchant managers.');
    }
    const fields = newAccountFields(input);
    const roles: Role[] = manager ? ['MERCHANT_STAFF', 'MERCHANT_MANAGER'] : ['MERCHANT_STAFF'];
    return this.stores.users.create({
      ...fields,
      roles,
      merchantId,
      passwordHash: await this.hash(input.password),
    });
  }

  /**
   * A rider's user account. The delivery subgraph makes the rider's profile when the rider first
   * goes online (RiderActions.goOnline), so no event or cross-database write is needed here.
   */
  async createRider(input: {
    email: string;
    password: string;
    name: string;
    phone?: string | null;
  }): Promise<User> {
    const fields = newAccountFields(input);
    return this.stores.users.create({
      ...fields,
      roles: ['RIDER'],
      passwordHash: await this.hash(input.password),
    });
  }

  async setDisabled(userId: string, disabled: boolean): Promise<User> {
    const account = await this.administeredAccount(userId);
    return this.stores.users.setDisabled(account.id, disabled, new Date());
  }

  async resetPassword(userId: string, newPassword: string): Promise<User> {
    checkPassword(newPassword, 'newPassword');
    const account = await this.administeredAccount(userId);
    return this.stores.users.setPassword(account.id, await this.hash(newPassword), new Date());
  }

  /**
   * The merchant whose staff a call manages: managers act on their own merchant (naming another
   * one is FORBIDDEN); admins must name it.
   */
  private managedMerchant(requested: string | null | undefined): string {
    const viewer = this.viewer;
    if (!viewer) throw unauthenticated();
    if (isAdmin(viewer)) {
      if (!requested) throw badUserInput('"merchantId" is required for admins.', 'merchantId');
      if (!isUuid(requested))
        throw badUserInput('"merchantId" is not a merchant id.', 'merchantId');
      return requested;
    }
    if (hasRole(viewer, 'MERCHANT_MANAGER') && viewer.merchantId) {
      if (requested && requested !== viewer.merchantId) throw notYourStaff();
      return viewer.merchantId;
    }
    throw forbidden('Only admins and the merchant’s managers may manage its staff accounts.');
  }

  /**
   * An account the caller may disable or give a new password: admins any account, managers the
   * plain staff of their own merchant; nobody their own account (an admin locking themself out, or a
   * reset that skips the current-password check of `changePassword`).
   */
  private async administeredAccount(userId: string): Promise<User> {
    const viewer = this.viewer;
    if (!viewer) throw unauthenticated();
    if (!isAdmin(viewer) && !hasRole(viewer, 'MERCHANT_MANAGER')) throw notYourStaff();
    const account = await this.stores.users.load(userId);
    if (!account) throw notFound('User');
    if (account.id === viewer.userId) {
      throw forbidden('You cannot do this to your own account.');
    }
    if (isAdmin(viewer)) return account;
    // Managers are the admins' to manage (they also create them), so a manager acts on plain staff.
    const plainStaff =
      account.roles.includes('MERCHANT_STAFF') && !account.roles.includes('MERCHANT_MANAGER');
    if (!plainStaff || !isManagerOf(viewer, account.merchantId)) throw notYourStaff();
    return account;
  }
}

const notYourStaff = () =>
  forbidden('You may only manage the staff accounts of your own merchant.');
