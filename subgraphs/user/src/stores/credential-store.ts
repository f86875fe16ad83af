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
   * Marks a token rotated only if nobody rotated it first: of two concurrent exchanges of one
   * token, exactly one wins and the other is treated as reuse.
   */
  async claimForRotation(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.refreshToken.updateMany({
      where: { id, rotatedAt: null, revokedAt: null },
      data: { rotatedAt: now },
    });
    return count === 1;
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.prisma.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: now },
    });
  }
}
