import { Prisma, type PrismaClient, type Role, type User } from '../__generated__/prisma/client.ts';
import { conflict } from '@sky/errors';
import { rowsById } from '@sky/database';

export class UserStore {
  /** One SELECT for all users asked for in one request (entity resolution included). */
  private readonly byId = rowsById((ids) =>
    this.prisma.user.findMany({ where: { id: { in: ids } } }),
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<User | null> {
    return this.byId.load(id);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  }

  async create(input: {
    email: string;
    name: string;
    phone: string | null;
    passwordHash: string;
    roles: Role[];
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
}
