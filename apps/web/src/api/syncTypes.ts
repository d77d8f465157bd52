// The sync contract (GET /api/status, `freshness` on the key answers, the 503
// `mirror_loading` error), named from the generated OpenAPI types like src/api/types.ts.
import type { components } from './schema';
import type { KeyFacets, KeyPage } from './types';

type Schemas = components['schemas'];

export type UpstreamProblem = Schemas['UpstreamProblemOut'];
export type UpstreamProblemCode = UpstreamProblem['code'];
export type Freshness = Schemas['FreshnessOut'];
export type SyncProgress = Schemas['SyncProgressOut'];
export type SyncStatus = Schemas['SyncStatusOut'];
export type KeyScope = Schemas['KeyScopeOut'];
export type StatusOut = Schemas['StatusOut'];

/** GET /api/keys with the new field (`fetched_at` stays, equal to `freshness.as_of`). */
export type KeyPageOut = KeyPage & { freshness: Freshness };
/** GET /api/keys/facets with the new field. */
export type KeyFacetsOut = KeyFacets & { freshness: Freshness };

/** The `error` object of a 503 `mirror_loading` answer (besides code, message, request_id). */
export interface MirrorLoadingError {
  code: 'mirror_loading';
  message: string;
  request_id: string;
  progress: SyncProgress;
}
