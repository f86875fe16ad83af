import { Prisma, type PrismaClient, type Role, type User } from '../__generated__/prisma/client.ts';
import { conflict } from '@sky/errors';
import { isUuid, keysetAfter, keysetOrder, rowsById } from '@sky/database';
import {
  createdAtCursorKey,
  pageSize,
  parseKeysetCursor,
  toConnection,
  type PageArgs,
} from '@sky/server-kit';

/** Which accounts a list shows; every given filter must match. */
export interface UserListFilter {
  role?: Role | null;
  merchantId?: string | null;
  disabled?: boolean | null;
  keyword?: string | null;
}

/** `%`, `_` and the escape character typed in a keyword are matched literally by ILIKE. */
const escapeLikePattern = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function userMatches(filter: UserListFilter): Prisma.UserWhereInput {
  const where: Prisma.UserWhereInput[] = [];
  if (filter.role) where.push({ roles: { has: filter.role } });
  if (filter.merchantId !== undefined && filter.merchantId !== null) {
    // A malformed id matches nobody (the column is a UUID: comparing would be an SQL error).
    where.push(isUuid(filter.merchantId) ? { merchantId: filter.merchantId } : { id: { in: [] } });
  }
  if (filter.disabled === true) where.push({ disabledAt: { not: null } });
  if (filter.disabled === false) where.push({ disabledAt: null });
  const keyword = filter.keyword?.trim();
  if (keyword) {
    const contains = { contains: escapeLikePattern(keyword), mode: 'insensitive' as const };
    where.push({ OR: [{ name: contains }, { email: contains }, { phone: contains }] });
  }
  return { AND: where };
}

export class UserStore {
  /** One SELECT for all users asked for in one request (entity resolution included). */
  private readonly byId = rowsById((ids) =>
    this.prisma.user.findMany({ where: { id: { in: ids } } }),
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<User | null> {
    return isUuid(id) ? this.byId.load(id) : Promise.resolve(null);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  }

  /** Accounts in creation order, oldest first (index users(createdAt, id) or (merchantId, ...)). */
  async list(filter: UserListFilter, page: PageArgs) {
    const size = pageSize(page);
    const after = parseKeysetCursor(page.after);
    const rows = await this.prisma.user.findMany({
      where: {
        AND: [userMatches(filter), after ? keysetAfter('createdAt', after, 'asc') : {}],
      },
      orderBy: [...keysetOrder('createdAt', 'asc')],
      take: size + 1,
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return toConnection(rows, size, createdAtCursorKey);
  }

  async create(input: {
    email: string;
    name: string;
    phone: string | null;
    passwordHash: string;
    roles: Role[];
    merchantId?: string | null;
  }): Promise<User> {
    try {
      return await this.prisma.user.create({
        data: { ...input, email: input.email.toLowerCase() },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw conflict('An account with this email or phone already exists.');
      }
      throw error;
    }
  }

  /**
   * Sets a new password and revokes every refresh token of the account in one transaction, so no
   * session that knew the old password survives its next refresh.
   */
  async setPassword(userId: string, passwordHash: string, now: Date): Promise<User> {
    const row = await this.prisma.$transaction(async (tx) => {
      const user = await tx.user.update({ where: { id: userId }, data: { passwordHash } });
      await revokeAllRefreshTokens(tx, userId, now);
      return user;
    });
    this.byId.clear(userId).prime(userId, row);
    return row;
  }

  /**
   * Disables (revoking every refresh token in the same transaction, so refresh is refused at
   * once) or enables an account. A repeat keeps the first `disabledAt`.
   */
  async setDisabled(userId: string, disabled: boolean, now: Date): Promise<User> {
    const row = await this.prisma.$transaction(async (tx) => {
      if (disabled) {
        await tx.user.updateMany({
          where: { id: userId, disabledAt: null },
          data: { disabledAt: now },
        });
        await revokeAllRefreshTokens(tx, userId, now);
      } else {
        await tx.user.updateMany({
          where: { id: userId, disabledAt: { not: null } },
          data: { disabledAt: null },
        });
      }
      return tx.user.findUniqueOrThrow({ where: { id: userId } });
    });
    this.byId.clear(userId).prime(userId, row);
    return row;
  }
}

async function revokeAllRefreshTokens(
  tx: Prisma.TransactionClient,
  userId: string,
  now: Date,
): Promise<void> {
  await tx.refreshToken.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: now },
  });
}
