import type { PrismaClient, RefreshToken } from '../__generated__/prisma/client.ts';

export interface ThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

/** Refresh tokens and sign-in throttling. */
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

  /** Seconds until the email may try again, or 0 when it is not locked. */
  async lockedForSeconds(email: string, now: Date): Promise<number> {
    const row = await this.prisma.loginThrottle.findUnique({ where: { email } });
    if (!row?.lockedUntil || row.lockedUntil <= now) return 0;
    return Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
  }

  /** Counts a failed sign-in; locks the email once `maxFailures` happen within the window. */
  async recordFailure(email: string, now: Date, settings: ThrottleSettings): Promise<void> {
    const windowStart = new Date(now.getTime() - settings.windowSeconds * 1000);
    // One statement, so concurrent failures are all counted (no read-modify-write race).
    await this.prisma.$executeRaw`
      INSERT INTO login_throttles (email, failures, "windowStartsAt", "lockedUntil")
      VALUES (${email}, 1, ${now}, NULL)
      ON CONFLICT (email) DO UPDATE SET
        failures = CASE WHEN login_throttles."windowStartsAt" < ${windowStart} THEN 1
                        ELSE login_throttles.failures + 1 END,
        "windowStartsAt" = CASE WHEN login_throttles."windowStartsAt" < ${windowStart} THEN ${now}
                                ELSE login_throttles."windowStartsAt" END,
        "lockedUntil" = CASE
          WHEN login_throttles."windowStartsAt" >= ${windowStart}
           AND login_throttles.failures + 1 >= ${settings.maxFailures}
          THEN ${new Date(now.getTime() + settings.lockSeconds * 1000)}
          ELSE login_throttles."lockedUntil" END`;
  }

  async clearFailures(email: string): Promise<void> {
    await this.prisma.loginThrottle.deleteMany({ where: { email } });
  }
}
