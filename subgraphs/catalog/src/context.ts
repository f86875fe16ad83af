import type { RequestContext } from '@sky/server-kit';
import type { ViewerContext } from '@sky/auth';
import type { ImageUploads } from './services/images.ts';
import type { CatalogManagement } from './services/management.ts';
import type { CatalogStores } from './stores/index.ts';

/** What every resolver of the catalog subgraph receives. */
export interface CatalogContext extends RequestContext, ViewerContext {
  stores: CatalogStores;
  /** Menu and shop management, bound to this request's viewer. */
  management: CatalogManagement;
  /** Image uploads and the URLs of stored images, bound to this request's viewer. */
  images: ImageUploads;
  /**
   * The instant the request is answered at: opening status, nearby ranking and today's stock
   * all read this one clock, so one response never mixes two answers around a boundary.
   */
  now: Date;
  /** Announces a committed change of public catalog data (the gateway's response cache). */
  catalogChanged: () => Promise<void>;
}
