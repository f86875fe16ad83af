import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '@sky/errors';
import { sendGraphQLError } from './http-app.ts';

/** Content types a browser may send cross-site without a preflight (what a form can post). */
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Apollo Server's CSRF prevention, applied before it so that the refusal is answered like every
 * other transport refusal (400 BAD_REQUEST with `extensions.requestId`; Apollo's own answer
 * comes before any plugin runs and carries no request id). Same rule: a request a browser could
 * send cross-site without a preflight (no content type, or a form's, and no preflight header)
 * is refused.
 */
export function refuseCrossSiteRequests(req: Request, res: Response, next: NextFunction): void {
  // A browser opening the endpoint asks for a page (the explorer), not an operation.
  if (req.method === 'GET' && req.accepts(['application/json', 'text/html']) === 'text/html') {
    return next();
  }
  const contentType = req.header('content-type');
  const essence = contentType?.split(';')[0]!.trim().toLowerCase();
  const simple = essence === undefined || SIMPLE_CONTENT_TYPES.has(essence);
  const preflighted = PREFLIGHT_HEADERS.some((header) => (req.header(header) ?? '').length > 0);
  if (!simple || preflighted) return next();
  sendGraphQLError(
    res,
    400,
    ErrorCode.BAD_REQUEST,
    'This request has been blocked as a potential cross-site request forgery (CSRF): send it ' +
      "with a 'content-type' such as application/json, or a non-empty " +
      `${PREFLIGHT_HEADERS.join(' or ')} header.`,
    req.sky.requestId,
  );
}
