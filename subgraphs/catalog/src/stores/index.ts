import { MenuOverviewStore } from './report-store.ts';
import type { Database } from '@sky/database';
import { PrismaClient, type Prisma } from '../__generated__/prisma/client.ts';
import type { HiddenMenuAccess } from '../permissions.ts';
import { CategoryStore } from './category-store.ts';
import { DishStore } from './dish-store.ts';
import { ImageUploadStore } from './image-upload-store.ts';
import { MerchantStore } from './merchant-store.ts';
import { SetMealStore } from './set-meal-store.ts';
import { StockStore } from './stock-store.ts';

/**
 * The only code that touches the catalog database. A new set is made per request: its
 * DataLoaders batch and cache within that request only, and the loaders that filter hidden menu
 * items know who is asking.
 */
export interface CatalogStores {
  merchants: MerchantStore;
  categories: CategoryStore;
  dishes: DishStore;
  setMeals: SetMealStore;
  stock: StockStore;
  imageUploads: ImageUploadStore;
  /** The workspace's menu overviews. */
  menuOverview: MenuOverviewStore;
}

export function createCatalogStores(
  prisma: CatalogPrisma,
  access: HiddenMenuAccess,
): CatalogStores {
  return {
    merchants: new MerchantStore(prisma),
    categories: new CategoryStore(prisma, access),
    dishes: new DishStore(prisma, access),
    setMeals: new SetMealStore(prisma, access),
    stock: new StockStore(prisma),
    imageUploads: new ImageUploadStore(prisma),
    menuOverview: new MenuOverviewStore(prisma),
  };
}

/** The catalog database's generated client, and its transaction client. */
export type CatalogPrisma = PrismaClient;
export type CatalogTx = Prisma.TransactionClient;

/** Builds the client over the subgraph's driver adapter (PostgreSQL or PGlite). */
export const createCatalogPrisma = (adapter: Database['adapter']): CatalogPrisma =>
  new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });

/** The rows other layers pass around (resolvers' parents, services' inputs). */
export type {
  Category,
  CategoryType,
  Dish,
  ImageUpload,
  Merchant,
  SetMeal,
} from '../__generated__/prisma/client.ts';
