import { keysetAfter, keysetOrder, rowsById, rowsByParent } from '@sky/database';
import type {
  BusinessHours,
  Merchant,
  MerchantStatus,
  PrismaClient,
} from '../__generated__/prisma/client.ts';
import { badUserInput, domainError, ErrorCode, notFound } from '@sky/errors';
import {
  createdAtCursorKey,
  pageSize,
  parseKeysetCursor,
  toConnection,
  type PageArgs,
} from '@sky/server-kit';
import { isOpenAt, type WeeklyInterval } from '../domain/business-hours.ts';
import { boundingBox, isValidPoint, type Point } from '@sky/geo';
import {
  nearbyCursorKey,
  rankNearbyMerchants,
  readNearbyCursor,
} from '../domain/nearby-merchants.ts';
import { estimatedDeliveryMinutes } from '../domain/eta.ts';
import { publicDish } from './menu-filters.ts';
import { nameContains } from './name-search.ts';
import { isRecordNotFound, isUniqueViolation } from './prisma-errors.ts';

/** The shop settings a merchant's staff may change (currency is fixed at registration). */
export interface MerchantSettings {
  name: string;
  description: string | null;
  logoUrl: string | null;
  logoKey: string | null;
  logoThumbnailKey: string | null;
  phone: string;
  address: string;
  latitude: number;
  longitude: number;
  timezone: string;
  deliveryRadiusMeters: number;
  minimumOrderAmount: number;
  deliveryFeeAmount: number;
  packingFeePerItemAmount: number;
  defaultPrepMinutes: number;
  status: MerchantStatus;
  pausedUntil: Date | null;
}

/**
 * Keyword search over merchants: the name contains it, or an on-sale dish of an enabled category
 * does (one statement: the dish check is an EXISTS subquery).
 */
function merchantMatches(keyword: string | null | undefined) {
  const byName = nameContains(keyword);
  if (!('name' in byName)) return {};
  return { OR: [byName, { dishes: { some: { ...byName, ...publicDish } } }] };
}

/** A new shop: the settings without a column default are required. */
export type NewMerchant = Partial<MerchantSettings> &
  Pick<
    MerchantSettings,
    'name' | 'phone' | 'address' | 'latitude' | 'longitude' | 'deliveryRadiusMeters' | 'status'
  >;

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
    const after = parseKeysetCursor(args.after);
    const rows = await this.prisma.merchant.findMany({
      where: {
        AND: [merchantMatches(args.keyword), after ? keysetAfter('createdAt', after, 'asc') : {}],
      },
      orderBy: [...keysetOrder('createdAt', 'asc')],
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
        AND: [
          merchantMatches(args.keyword),
          { latitude: box.latitude, OR: box.longitudes.map((longitude) => ({ longitude })) },
        ],
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
      edges: page.edges.map(({ cursor, node }) => {
        const distanceMeters = Math.round(node.key.distanceMeters);
        return {
          cursor,
          node: node.merchant,
          distanceMeters,
          estimatedDeliveryMinutes: estimatedDeliveryMinutes(
            distanceMeters,
            node.merchant.defaultPrepMinutes,
          ),
        };
      }),
      pageInfo: page.pageInfo,
    };
  }

  /**
   * Creates a shop and its weekly hours in one transaction. With a `creationKey`, the merchant an
   * earlier call made with that key is answered instead (same input hash) or refused
   * (IDEMPOTENCY_KEY_REUSED); two concurrent calls with one key meet at the unique column, and
   * the loser answers the winner's merchant.
   */
  async create(
    merchant: NewMerchant,
    intervals: readonly WeeklyInterval[],
    key: { creationKey: string | null; creationInputHash: string | null },
  ): Promise<Merchant> {
    const earlier = async () => {
      if (!key.creationKey) return null;
      const row = await this.prisma.merchant.findUnique({
        where: { creationKey: key.creationKey },
      });
      if (row && row.creationInputHash !== key.creationInputHash) {
        throw domainError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This idempotency key was already used for a different merchant.',
        );
      }
      return row;
    };
    const found = await earlier();
    if (found) return found;
    try {
      const row = await this.prisma.merchant.create({
        data: {
          ...merchant,
          ...key,
          businessHours: { createMany: { data: [...intervals] } },
        },
      });
      this.byId.prime(row.id, row);
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) {
        const winner = await earlier();
        if (winner) return winner;
      }
      throw error;
    }
  }

  /** Changes shop settings; the merchant must exist (NOT_FOUND otherwise). */
  async update(id: string, settings: Partial<MerchantSettings>): Promise<Merchant> {
    try {
      const row = await this.prisma.merchant.update({ where: { id }, data: settings });
      this.byId.clear(id).prime(id, row);
      return row;
    } catch (error) {
      if (isRecordNotFound(error)) throw notFound('Merchant');
      throw error;
    }
  }

  /**
   * Replaces the weekly schedule in one transaction. Updating the merchant row first locks it,
   * so two concurrent replacements run one after the other instead of mixing their intervals.
   */
  async replaceBusinessHours(id: string, intervals: readonly WeeklyInterval[]): Promise<Merchant> {
    const row = await this.prisma.$transaction(async (tx) => {
      let merchant: Merchant;
      try {
        merchant = await tx.merchant.update({ where: { id }, data: { updatedAt: new Date() } });
      } catch (error) {
        if (isRecordNotFound(error)) throw notFound('Merchant');
        throw error;
      }
      await tx.businessHours.deleteMany({ where: { merchantId: id } });
      await tx.businessHours.createMany({
        data: intervals.map((interval) => ({ merchantId: id, ...interval })),
      });
      return merchant;
    });
    this.byId.clear(id).prime(id, row);
    this.hoursByMerchantId.clear(id);
    return row;
  }
}
