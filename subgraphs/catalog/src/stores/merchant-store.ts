import type { BusinessHours, Merchant, PrismaClient } from '../__generated__/prisma/client.ts';
import { badUserInput } from '@sky/errors';
import { pageSize, toConnection, type PageArgs } from '@sky/server-kit';
import { isOpenAt } from '../business-hours.ts';
import { boundingBox, isValidPoint, type Point } from '../geo.ts';
import { rankNearbyMerchants } from '../nearby-merchants.ts';
import {
  createdAtAfter,
  createdAtCursorKey,
  createdAtOrder,
  nearbyCursorKey,
  readCreatedAtCursor,
  readNearbyCursor,
} from '../pagination.ts';
import { rowsById, rowsByParent } from './loaders.ts';
import { nameContains } from './name-search.ts';

export interface MerchantListArgs extends PageArgs {
  keyword?: string | null;
}

export class MerchantStore {
  /** One SELECT for all merchants asked for in one request (entity resolution included). */
  private readonly byId = rowsById((ids) =>
    this.prisma.merchant.findMany({ where: { id: { in: ids } } }),
  );

  /** Business hours of several merchants in one query, sorted as the API documents. */
  private readonly hoursByMerchantId = rowsByParent(
    (merchantIds) =>
      this.prisma.businessHours.findMany({
        where: { merchantId: { in: merchantIds } },
        orderBy: [{ dayOfWeek: 'asc' }, { opensAtMinute: 'asc' }],
      }),
    (row) => row.merchantId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Merchant | null> {
    return this.byId.load(id);
  }

  businessHours(merchantId: string): Promise<BusinessHours[]> {
    return this.hoursByMerchantId.load(merchantId);
  }

  /** Whether the merchant takes orders at `now` (status, pause and business hours). */
  async isOpen(merchant: Merchant, now: Date): Promise<boolean> {
    return isOpenAt(merchant, await this.businessHours(merchant.id), now);
  }

  /** All merchants (optionally by name) in creation order, oldest first. */
  async list(args: MerchantListArgs) {
    const size = pageSize(args);
    const after = readCreatedAtCursor(args.after);
    const rows = await this.prisma.merchant.findMany({
      where: { ...nameContains(args.keyword), ...(after ? createdAtAfter(after, 'asc') : {}) },
      orderBy: createdAtOrder('asc'),
      take: size + 1,
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return toConnection(rows, size, createdAtCursorKey);
  }

  /**
   * Merchants that deliver to `near`, open ones first, then nearest, then by id. The database
   * narrows the candidates to the box the largest delivery radius can reach (an index range);
   * the exact distance and the opening status are then computed here, since opening depends on
   * each merchant's own time zone.
   */
  async listNear(args: MerchantListArgs & { near: Point; now: Date }) {
    const size = pageSize(args);
    const after = readNearbyCursor(args.after);
    if (!isValidPoint(args.near)) {
      throw badUserInput(
        '"near" must have a latitude in -90..90 and a longitude in -180..180.',
        'near',
      );
    }
    const { _max } = await this.prisma.merchant.aggregate({ _max: { deliveryRadiusMeters: true } });
    if (_max.deliveryRadiusMeters === null) {
      return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    }
    const box = boundingBox(args.near, _max.deliveryRadiusMeters);
    const candidates = await this.prisma.merchant.findMany({
      where: {
        ...nameContains(args.keyword),
        latitude: box.latitude,
        OR: box.longitudes.map((longitude) => ({ longitude })),
      },
    });
    for (const row of candidates) this.byId.prime(row.id, row);
    const hours = await Promise.all(candidates.map((row) => this.businessHours(row.id)));
    const hoursOf = new Map(candidates.map((row, index) => [row.id, hours[index]!]));
    const ranked = rankNearbyMerchants(
      candidates,
      args.near,
      (row) => isOpenAt(row, hoursOf.get(row.id)!, args.now),
      after,
    );
    const page = toConnection(ranked.slice(0, size + 1), size, (entry) =>
      nearbyCursorKey(entry.key),
    );
    return {
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: node.merchant })),
      pageInfo: page.pageInfo,
    };
  }
}
