import { verify } from '@node-rs/argon2';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TokenSigner } from '@sky/auth';
import { domainError, ErrorCode, unauthenticated } from '@sky/errors';
import type { Role, User, UserStores } from '../stores/index.ts';
import { hashPassword, type PasswordSettings } from '../domain/passwords.ts';
import { checkPassword, newAccountFields } from '../domain/account-input.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

export interface AuthSettings {
  password: PasswordSettings;
  refreshTokenTtlSeconds: number;
}

/** Who is asking, for throttling: the request's client address and the shared throttle. */
export interface CallerGuard {
  throttle: SignInThrottle;
  clientAddress: string;
  /**
   * Runs password hashing and verification a few at a time (ARGON2_MAX_CONCURRENCY per
   * process): a burst of sign-ins queues here instead of taking every core from other requests.
   */
  passwordWork: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface IssuedTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: User;
}

/** A disabled account's sign-in or refresh: UNAUTHENTICATED, told apart by `reason`. */
export const accountDisabled = () =>
  domainError(ErrorCode.UNAUTHENTICATED, 'This account is disabled.', {
    reason: 'ACCOUNT_DISABLED',
  });

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Verified against when the email is unknown, so timing does not reveal which emails exist. */
let decoyHash: Promise<string> | null = null;

export class AuthService {
  constructor(
    private readonly stores: UserStores,
    private readonly signer: TokenSigner,
    private readonly settings: AuthSettings,
    private readonly caller: CallerGuard,
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
    const fields = newAccountFields(input);
    // After the cheap checks, before the expensive hash.
    await this.caller.throttle.beforeRegister(this.caller.clientAddress);
    const user = await this.stores.users.create({
      ...fields,
      passwordHash: await this.caller.passwordWork(() => this.hashPassword(input.password)),
      roles: ['CUSTOMER'] satisfies Role[],
    });
    return this.issueTokens(user, randomUUID());
  }

  async login(input: { email: string; password: string }): Promise<IssuedTokens> {
    const email = input.email.trim().toLowerCase();
    const { throttle, clientAddress } = this.caller;
    await throttle.beforeLogin(email, clientAddress);
    const user = await this.stores.users.findByEmail(email);
    const passwordOk = await this.caller.passwordWork(async () =>
      verify(user?.passwordHash ?? (await this.decoy()), input.password).catch(() => false),
    );
    if (!user || !passwordOk) {
      await throttle.loginFailed(email, clientAddress);
      throw unauthenticated('Wrong email or password.');
    }
    await throttle.loginSucceeded(email, clientAddress);
    // Said only after the right password, so it reveals nothing to a guesser.
    if (user.disabledAt) throw accountDisabled();
    return this.issueTokens(user, randomUUID());
  }

  /**
   * Changes the caller's own password. The current password is checked under the sign-in
   * throttle (a stolen access token must not become a password-guessing oracle). Every refresh
   * token of the account is revoked, this session's included, and a new family is issued to
   * this caller: the other sessions end at their next refresh, this one goes on with the new pair.
   */
  async changePassword(
    userId: string,
    input: { currentPassword: string; newPassword: string },
  ): Promise<IssuedTokens> {
    checkPassword(input.newPassword, 'newPassword');
    const user = await this.stores.users.load(userId);
    if (!user) throw unauthenticated('The account no longer exists.');
    if (user.disabledAt) throw accountDisabled();
    const { throttle, clientAddress } = this.caller;
    await throttle.beforeLogin(user.email, clientAddress);
    const passwordOk = await this.caller.passwordWork(() =>
      verify(user.passwordHash, input.currentPassword).catch(() => false),
    );
    if (!passwordOk) {
      await throttle.loginFailed(user.email, clientAddress);
      throw unauthenticated('The current password is wrong.');
    }
    await throttle.loginSucceeded(user.email, clientAddress);
    const passwordHash = await this.caller.passwordWork(() => this.hashPassword(input.newPassword));
    const updated = await this.stores.users.setPassword(user.id, passwordHash, new Date());
    return this.issueTokens(updated, randomUUID());
  }

  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const now = new Date();
    const stored = await this.stores.credentials.findRefreshToken(sha256(refreshToken));
    if (!stored || stored.revokedAt || stored.expiresAt <= now) {
      throw unauthenticated('The refresh token is invalid or expired.');
    }
    const user = await this.stores.users.load(stored.userId);
    if (!user) throw unauthenticated('The account no longer exists.');
    // Disabling revokes the tokens too; this also covers a token issued in the same instant.
    if (user.disabledAt) throw accountDisabled();
    const next = this.newRefreshToken();
    const rotated = await this.stores.credentials.rotate(
      stored.id,
      {
        userId: user.id,
        familyId: stored.familyId,
        tokenHash: sha256(next.token),
        expiresAt: next.expiresAt,
      },
      now,
    );
    if (!rotated) {
      // A rotated token came back: it may have been stolen. Sign the whole family out.
      await this.stores.credentials.revokeFamily(stored.familyId, now);
      throw unauthenticated('The refresh token was already used; sign in again.');
    }
    return this.withAccessToken(user, next);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.stores.credentials.findRefreshToken(sha256(refreshToken));
    if (stored) await this.stores.credentials.revokeFamily(stored.familyId, new Date());
  }

  private newRefreshToken(): { token: string; expiresAt: Date } {
    return {
      token: randomBytes(32).toString('base64url'),
      expiresAt: new Date(Date.now() + this.settings.refreshTokenTtlSeconds * 1000),
    };
  }

  /** A new family (sign-in, registration): its first refresh token and an access token. */
  private async issueTokens(user: User, familyId: string): Promise<IssuedTokens> {
    const refresh = this.newRefreshToken();
    await this.stores.credentials.createRefreshToken({
      userId: user.id,
      familyId,
      tokenHash: sha256(refresh.token),
      expiresAt: refresh.expiresAt,
    });
    return this.withAccessToken(user, refresh);
  }

  private withAccessToken(user: User, refresh: { token: string; expiresAt: Date }): IssuedTokens {
    const access = this.signer.signAccessToken({
      userId: user.id,
      roles: user.roles,
      merchantId: user.merchantId,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
      user,
    };
  }

  private decoy(): Promise<string> {
    decoyHash ??= this.hashPassword(randomBytes(16).toString('hex'));
    return decoyHash;
  }
}
