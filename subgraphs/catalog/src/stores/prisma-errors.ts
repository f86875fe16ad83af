import { Prisma } from '../__generated__/prisma/client.ts';

/** Unique constraint violated (e.g. a second category of the same name). */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** Foreign key violated (e.g. deleting a category a dish still uses). */
export const isForeignKeyViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';

/** The row to update or delete does not exist (any more). */
export const isRecordNotFound = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
