import { addresses, DEMO_PASSWORD, users } from '@sky/demo-data';
import { hashPassword, type PasswordSettings } from '../domain/passwords.ts';
import type { UserPrisma } from './index.ts';

/** Writes the user slice of the demo dataset; does nothing when it is already there. */
export async function seedUserDemoData(subgraph: {
  prisma: UserPrisma;
  authSettings: { password: PasswordSettings };
}): Promise<boolean> {
  const { prisma } = subgraph;
  if ((await prisma.user.count()) > 0) return false;
  // One hash for all demo accounts: they share the demo password.
  const passwordHash = await hashPassword(DEMO_PASSWORD, subgraph.authSettings.password);
  await prisma.$transaction(async (tx) => {
    await tx.user.createMany({
      data: users.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        phone: u.phone,
        roles: u.roles,
        merchantId: u.merchantId,
        passwordHash,
      })),
    });
    await tx.address.createMany({
      data: addresses.map(({ isDefault, ...a }) => ({
        ...a,
        defaultForUserId: isDefault ? a.userId : null,
      })),
    });
  });
  return true;
}
