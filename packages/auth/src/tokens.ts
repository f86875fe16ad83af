import jwt from 'jsonwebtoken';
import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { Roles, type Role, type Viewer } from './roles.ts';

/** ES256 with a P-256 key pair: only the user subgraph holds the private key. */
const ALGORITHM = 'ES256';

export interface TokenSettings {
  issuer: string;
  audience: string;
}

export interface AccessTokenClaims {
  userId: string;
  roles: Role[];
  merchantId: string | null;
}

export class TokenSigner {
  /** Parsed once: jsonwebtoken given PEM text parses it again on every call. */
  private readonly privateKey: KeyObject;

  constructor(
    privateKeyPem: string,
    private readonly settings: TokenSettings & { accessTokenTtlSeconds: number },
  ) {
    this.privateKey = createPrivateKey(privateKeyPem);
  }

  signAccessToken(claims: AccessTokenClaims): { token: string; expiresAt: Date } {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const exp = nowSeconds + this.settings.accessTokenTtlSeconds;
    const token = jwt.sign(
      { roles: claims.roles, ...(claims.merchantId ? { mid: claims.merchantId } : {}), exp },
      this.privateKey,
      {
        algorithm: ALGORITHM,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        subject: claims.userId,
        jwtid: randomUUID(),
      },
    );
    return { token, expiresAt: new Date(exp * 1000) };
  }
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export class TokenVerifier {
  /**
   * Parsed once: every request through the gateway and every subgraph hop verifies a token, and
   * jsonwebtoken given PEM text parses it on every call (bench/token-verify.ts: 1.34x the
   * verifications per second with the parsed key).
   */
  private readonly publicKey: KeyObject;

  constructor(
    publicKeyPem: string,
    private readonly settings: TokenSettings,
  ) {
    this.publicKey = createPublicKey(publicKeyPem);
  }

  /** Verifies signature, algorithm, issuer, audience and expiry; throws InvalidTokenError otherwise. */
  verify(token: string): Viewer {
    let payload: jwt.JwtPayload;
    try {
      const decoded = jwt.verify(token, this.publicKey, {
        algorithms: [ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
      });
      if (typeof decoded === 'string')
        throw new InvalidTokenError('token payload is not an object');
      payload = decoded;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new InvalidTokenError('token expired');
      if (error instanceof InvalidTokenError) throw error;
      throw new InvalidTokenError('token invalid');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles : [];
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.exp !== 'number' ||
      roles.length === 0 ||
      !roles.every((r): r is Role => (Roles as readonly unknown[]).includes(r))
    ) {
      throw new InvalidTokenError('token claims invalid');
    }
    return {
      userId: payload.sub,
      roles,
      merchantId: typeof payload.mid === 'string' ? payload.mid : null,
      expiresAt: payload.exp,
      token,
    };
  }

  /**
   * Reads an `Authorization` header value. No header means anonymous (null); anything else that is
   * not a valid bearer token throws, so the whole request can be rejected.
   */
  viewerFromHeader(header: string | undefined): Viewer | null {
    if (header === undefined || header === '') return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new InvalidTokenError('authorization header is not a bearer token');
    return this.verify(match[1]!);
  }
}
