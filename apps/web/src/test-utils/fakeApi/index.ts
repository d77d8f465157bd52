// The fake backend for tests: see FakeApi.ts. One module per concern: the answers' envelope
// (http), the filters and what they read from a key (filters, insights), the list, the
// facets and the usage answers.
export { FakeApi, type FakeApiOptions, type RecordedRequest, installFakeApi } from './FakeApi';
export { USAGE_NOTE, type UsageSpec } from './usage';
