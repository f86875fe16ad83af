import type { PrismaClient, RefreshToken } from '../__generated__/prisma/client.ts';

/** Refresh tokens (sign-in throttling lives in SignInThrottle, outside the database). */
export class CredentialStore {
  constructor(private readonly prisma: PrismaClient) {}

  createRefreshToken(data: {
    userId: string;
    familyId: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<RefreshToken> {
    return this.prisma.refreshToken.create({ data });
  }

  findRefreshToken(tokenHash: string): Promise<RefreshToken | null> {
    return this.prisma.refreshToken.findUnique({ where: { tokenHash } });
  }

  /**
   * Exchanges token `id` for `next` in one transaction: marks it rotated only if nobody rotated
   * it first, and inserts its successor before committing. Of two concurrent exchanges exactly
   * one wins; the loser's UPDATE waits on the winner's row lock and runs after its commit, so the
   * family revocation that follows (reuse) always sees, and revokes, the winner's new token.
   */
  async rotate(
    id: string,
    next: { userId: string; familyId: string; tokenHash: string; expiresAt: Date },
    now: Date,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.refreshToken.updateMany({
        where: { id, rotatedAt: null, revokedAt: null },
        data: { rotatedAt: now },
      });
      if (count !== 1) return false;
      await tx.refreshToken.create({ data: next });
      return true;
    });
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.prisma.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: now },
    });
  }
}
