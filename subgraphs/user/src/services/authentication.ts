import { verify } from '@node-rs/argon2';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TokenSigner } from '@sky/auth';
import { badUserInput, rateLimited, requiredText, unauthenticated } from '@sky/errors';
import type { ThrottleSettings } from '../stores/credential-store.ts';
import type { Role, User, UserStores } from '../stores/index.ts';
import { hashPassword, type PasswordSettings } from '../domain/passwords.ts';
import { EMAIL_PATTERN, PHONE_PATTERN } from '../domain/patterns.ts';

export interface AuthSettings {
  password: PasswordSettings;
  refreshTokenTtlSeconds: number;
  throttle: ThrottleSettings;
}

export interface IssuedTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: User;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Verified against when the email is unknown, so timing does not reveal which emails exist. */
let decoyHash: Promise<string> | null = null;

export class AuthService {
  constructor(
    private readonly stores: UserStores,
    private readonly signer: TokenSigner,
    private readonly settings: AuthSettings,
  ) {}

  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.settings.password);
  }

  async register(input: {
    email: string;
    password: string;
    name: string;
    phone?: string | null;
  }): Promise<IssuedTokens> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL_PATTERN.test(email) || email.length > 254) {
      throw badUserInput('Enter a valid email address.', 'email');
    }
    if (input.password.length < 8 || input.password.length > 256) {
      throw badUserInput('The password needs 8 to 256 characters.', 'password');
    }
    const name = requiredText(input.name, 'name', 64, {
      message: 'The name needs 1 to 64 characters.',
    });
    if (input.phone && !PHONE_PATTERN.test(input.phone)) {
      throw badUserInput('Enter a phone number of 6 to 15 digits.', 'phone');
    }
    const user = await this.stores.users.create({
      email,
      name,
      phone: input.phone || null,
      passwordHash: await this.hashPassword(input.password),
      roles: ['CUSTOMER'] satisfies Role[],
    });
    return this.issueTokens(user, randomUUID());
  }

  async login(input: { email: string; password: string }): Promise<IssuedTokens> {
    const email = input.email.trim().toLowerCase();
    const now = new Date();
    const lockedFor = await this.stores.credentials.lockedForSeconds(email, now);
    if (lockedFor > 0) {
      throw rateLimited('Too many failed sign-ins. Try again later.', lockedFor);
    }
    const user = await this.stores.users.findByEmail(email);
    const passwordOk = await verify(
      user?.passwordHash ?? (await this.decoy()),
      input.password,
    ).catch(() => false);
    if (!user || !passwordOk) {
      await this.stores.credentials.recordFailure(email, now, this.settings.throttle);
      throw unauthenticated('Wrong email or password.');
    }
    await this.stores.credentials.clearFailures(email);
    return this.issueTokens(user, randomUUID());
  }

  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const now = new Date();
    const stored = await this.stores.credentials.findRefreshToken(sha256(refreshToken));
    if (!stored || stored.revokedAt || stored.expiresAt <= now) {
      throw unauthenticated('The refresh token is invalid or expired.');
    }
    if (!(await this.stores.credentials.claimForRotation(stored.id, now))) {
      // A rotated token came back: it may have been stolen. Sign the whole family out.
      await this.stores.credentials.revokeFamily(stored.familyId, now);
      throw unauthenticated('The refresh token was already used; sign in again.');
    }
    const user = await this.stores.users.load(stored.userId);
    if (!user) throw unauthenticated('The account no longer exists.');
    return this.issueTokens(user, stored.familyId);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.stores.credentials.findRefreshToken(sha256(refreshToken));
    if (stored) await this.stores.credentials.revokeFamily(stored.familyId, new Date());
  }

  private async issueTokens(user: User, familyId: string): Promise<IssuedTokens> {
    const access = this.signer.signAccessToken({
      userId: user.id,
      roles: user.roles,
      merchantId: user.merchantId,
    });
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshTokenExpiresAt = new Date(
      Date.now() + this.settings.refreshTokenTtlSeconds * 1000,
    );
    await this.stores.credentials.createRefreshToken({
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshTokenExpiresAt,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt,
      user,
    };
  }

  private decoy(): Promise<string> {
    decoyHash ??= this.hashPassword(randomBytes(16).toString('hex'));
    return decoyHash;
  }
}
