// Names the rest of the app uses for the generated OpenAPI types. If the backend's document
// changes a field, these aliases change with it and `tsc` points at every use.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type LoginRequest = Schemas['LoginRequest'];
export type LoginResponse = Schemas['LoginResponse'];
export type MeResponse = Schemas['MeResponse'];
export type KeyOut = Schemas['KeyOut'];
export type KeyPage = Schemas['KeyPage'];
export type ErrorBody = Schemas['ErrorBody'];
export type KeyFacets = Schemas['KeyFacetsOut'];

export type KeysQuery = NonNullable<paths['/api/keys']['get']['parameters']['query']>;
export type KeyFacetsQuery = NonNullable<paths['/api/keys/facets']['get']['parameters']['query']>;
export type KeysExportQuery = NonNullable<paths['/api/keys/export']['get']['parameters']['query']>;
export type KeyUsage = Schemas['KeyUsageOut'];
export type UsageFigures = Schemas['UsageFiguresOut'];
export type DayUsage = Schemas['DayUsageOut'];
export type ModelUsage = Schemas['ModelUsageOut'];
export type KeyUsageQuery = NonNullable<
  paths['/api/keys/{key_id}/usage']['get']['parameters']['query']
>;
