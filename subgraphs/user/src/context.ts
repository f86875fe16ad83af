import type { RequestContext } from '@sky/server-kit';
import type { ViewerContext } from '@sky/auth';
import type { AccountService } from './services/accounts.ts';
import type { AddressBookService } from './services/address-book.ts';
import type { UserStores } from './stores/index.ts';
import type { AuthService } from './services/authentication.ts';

/** What every resolver of the user subgraph receives. */
export interface UserContext extends RequestContext, ViewerContext {
  stores: UserStores;
  auth: AuthService;
  addressBook: AddressBookService;
  /** Account administration (staff, riders, disabling), bound to this request's viewer. */
  accounts: AccountService;
}
