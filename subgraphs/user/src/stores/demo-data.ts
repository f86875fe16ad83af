import {
  addresses,
  DEMO_PASSWORD,
  DEMO_SEED_TRANSACTION,
  HISTORY_DAYS,
  historyFor,
  users,
  type DemoSeedOptions,
} from '@sky/demo-data';
import { hashPassword, type PasswordSettings } from '../domain/passwords.ts';
import type { UserPrisma } from './index.ts';

/** The named demo accounts existed this long before the history's first day. */
const NAMED_ACCOUNTS_AGE_DAYS = HISTORY_DAYS + 30;

/**
 * Writes the user slice of the demo dataset: the named demo accounts, and the customers of the
 * order history with the days they joined (so new-user figures have something to count); does
 * nothing when it is already there.
 */
export async function seedUserDemoData(
  subgraph: {
    prisma: UserPrisma;
    authSettings: { password: PasswordSettings };
  },
  options: DemoSeedOptions = {},
): Promise<boolean> {
  const { prisma } = subgraph;
  if ((await prisma.user.count()) > 0) return false;
  const now = new Date();
  const history = historyFor(options, now);
  const namedCreatedAt = new Date(now.getTime() - NAMED_ACCOUNTS_AGE_DAYS * 86_400_000);
  // One hash for all demo accounts: they share the demo password.
  const passwordHash = await hashPassword(DEMO_PASSWORD, subgraph.authSettings.password);
  await prisma.$transaction(async (tx) => {
    await tx.user.createMany({
      data: [...users.map((u) => ({ ...u, createdAt: namedCreatedAt })), ...history.customers].map(
        (u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          phone: u.phone,
          roles: u.roles,
          merchantId: u.merchantId,
          passwordHash,
          createdAt: u.createdAt,
          updatedAt: u.createdAt,
        }),
      ),
    });
    await tx.address.createMany({
      data: [...addresses, ...history.addresses].map(({ isDefault, ...a }) => ({
        ...a,
        defaultForUserId: isDefault ? a.userId : null,
      })),
    });
  }, DEMO_SEED_TRANSACTION);
  return true;
}
