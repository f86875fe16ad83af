import type { Logger } from '@sky/logging';
import { createSubgraph } from '@sky/server-kit';
import type { CatalogSubgraphConfig } from './config.ts';
import type { CatalogContext } from './context.ts';
import { catalogEventHandlers } from './events/handlers.ts';
import { announceCatalogChange } from './live/catalog-changes.ts';
import { catalogInternalApi } from './routes/internal-api.ts';
import { CatalogManagement } from './services/management.ts';
import { ImageUploads } from './services/images.ts';
import { mountImageFiles } from './routes/image-files.ts';
import { FileObjectStorage, S3ObjectStorage, type ObjectStorage } from './stores/object-storage.ts';
import { ImageUploadStore } from './stores/image-upload-store.ts';
import { hiddenMenuAccess, permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import {
  createCatalogPrisma,
  createCatalogStores,
  type CatalogPrisma,
  type CatalogTx,
} from './stores/index.ts';
import type { SubgraphRuntime } from '@sky/server-kit';

/**
 * Builds the catalog subgraph (database migrated, schema protected) without listening: the public
 * GraphQL API, the internal endpoints the order subgraph calls (quote-item, quote-order,
 * reserve-stock), the consumer of `order.cancelled` (stock release) and the image store with, for
 * the file-system store, its upload endpoint and static files (section 12.2). It produces no
 * events, so it runs no outbox relay; committed changes are announced on the live channel
 * `catalog.changed` for the gateway's response cache (section 13.2).
 */
export async function createCatalogSubgraph(config: CatalogSubgraphConfig, logger?: Logger) {
  // The file-system store's URLs start with this subgraph's own address unless IMAGE_PUBLIC_URL
  // names another; that address exists once the runtime does (it is asked per request).
  let runtime: SubgraphRuntime<CatalogPrisma, CatalogTx> | null = null;
  const store = config.images.store;
  const storage: ObjectStorage | null =
    store?.kind === 's3'
      ? new S3ObjectStorage(store)
      : store?.kind === 'fs'
        ? new FileObjectStorage(store, () => store.publicUrl ?? runtime!.localOrigin())
        : null;
  const subgraph = await createSubgraph<CatalogPrisma, CatalogTx, CatalogContext>({
    config,
    logger,
    createPrisma: createCatalogPrisma,
    resolvers,
    permissions,
    createContext: (state, { prisma, live }) => {
      const stores = createCatalogStores(prisma, hiddenMenuAccess(state.viewer));
      const now = new Date();
      const images = new ImageUploads(stores, storage, config.images, state.viewer, now);
      return {
        ...state,
        stores,
        now,
        images,
        management: new CatalogManagement(stores, images, state.viewer, now),
        catalogChanged: () => announceCatalogChange(live),
      };
    },
    internalApi: ({ prisma, live }) => catalogInternalApi(prisma, storage, live),
    extraRoutes: (app, built) => {
      runtime = built;
      if (storage instanceof FileObjectStorage) {
        mountImageFiles(app, storage, () => new ImageUploadStore(built.prisma));
      }
    },
    events: ({ live }) => catalogEventHandlers(live),
  });
  return Object.assign(subgraph, {
    /** Where images are kept; null when no store is configured (the demo seed uses it). */
    images: storage,
  });
}

export type CatalogSubgraph = Awaited<ReturnType<typeof createCatalogSubgraph>>;
