import './styles';
import { AppShell, Box, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyOut } from '../../api/types';
import { useLogout } from '../auth/useLogout';
import { useMe } from '../auth/useMe';
import { AppHeader } from '../shell/AppHeader';
import { useSyncStatus } from '../sync/api';
import { FreshnessLine } from '../sync/FreshnessLine/FreshnessLine';
import { isMirrorLoading } from '../sync/mirrorLoading';
import { ScopeWarning } from '../sync/ScopeWarning/ScopeWarning';
import { StaleWarning } from '../sync/StaleWarning/StaleWarning';
import { SyncBanner } from '../sync/SyncProgress/SyncBanner';
import { useSyncView } from '../sync/useSyncView';
import { ColumnsMenu } from './ColumnsMenu';
import { toDataTableColumns } from './columns';
import { keysErrorMessage } from './errorMessage';
import { ExportMenu } from './ExportMenu';
import { NO_FILTERS, countActiveFilters, hasFilters } from './filters';
import { FilterPanel } from './FilterPanel';
import { formatCount } from './format';
import { KeyDrawer } from './KeyDrawer';
import { KeysBody } from './KeysBody';
import { useLayout } from './layoutStorage';
import { PartialWarning } from './PartialWarning';
import { RefreshControl } from './RefreshControl';
import { SearchBox } from './SearchBox';
import { SummaryCards } from './SummaryCards';
import { TruncationNotice } from './TruncationNotice';
import { useColumnVisibility } from './useColumnVisibility';
import { useKeyFacetsQuery, useKeysQuery } from './useKeysQuery';
import { useKeysTableState } from './useKeysTableState';
import { useSearchInput } from './useSearchInput';
import { useSlashFocus } from './useSlashFocus';
import { ViewToggles } from './ViewToggles';

function matchLabel(total: number, narrowed: boolean): string {
  if (narrowed) return `${formatCount(total)} ${total === 1 ? 'key matches' : 'keys match'}`;
  return `${formatCount(total)} ${total === 1 ? 'key' : 'keys'}`;
}

export default function KeysPage() {
  const me = useMe();
  const logout = useLogout();
  const { state, setPage, setSize, setSearch, setSort, setFilters } = useKeysTableState();
  const keys = useKeysQuery(state);
  // Counts for the chips and cards. Their failure only costs the counts, never the table.
  const facets = useKeyFacetsQuery(state);
  // Sync progress, key scope and freshness; polled quickly only while the mirror loads.
  const status = useSyncStatus();
  const sync = useSyncView(keys, facets, status);
  const filtered = hasFilters(state.filters);
  const clearFilters = () => setFilters(NO_FILTERS);
  const { visibility, setVisible, reset, visibleCount } = useColumnVisibility();
  const columns = useMemo(() => toDataTableColumns(visibility), [visibility]);
  const search = useSearchInput(state.search, setSearch);
  const searchRef = useRef<HTMLInputElement>(null);
  useSlashFocus(searchRef);
  const [selected, setSelected] = useState<KeyOut | null>(null);
  const [drawerOpened, drawer] = useDisclosure(false);
  const { layout, setDensity, setFiltersCollapsed } = useLayout();
  const filterPanelId = useId();

  const data = keys.data;
  // While the mirror loads the counts wait quietly: that is not "unavailable".
  const facetsUnavailable = facets.isError && !facets.data && !sync.facetsLoading;
  // With no keys at all there is nothing to count or narrow, unless a filter is still on.
  const showFilters = data?.total_keys !== 0 || filtered;
  const updatedAt = data ? (sync.asOf ?? new Date(keys.dataUpdatedAt)) : null;
  const refreshFailed = keys.isError && data !== undefined && !isMirrorLoading(keys.error);

  // A shared link can point past the last page once keys are removed: land on the last one.
  useEffect(() => {
    if (
      data &&
      !keys.isPlaceholderData &&
      data.items.length === 0 &&
      data.total > 0 &&
      state.page > 1
    ) {
      setPage(Math.max(1, data.total_pages));
    }
  }, [data, keys.isPlaceholderData, state.page, setPage]);

  const openKey = (record: KeyOut) => {
    setSelected(record);
    drawer.open();
  };

  return (
    <AppShell header={{ height: 64 }} padding={0}>
      <AppShell.Header withBorder style={{ borderTop: '3px solid var(--mantine-color-orange-8)' }}>
        <AppHeader
          username={me.data?.username}
          onLogout={() => logout.mutate()}
          loggingOut={logout.isPending}
        >
          <RefreshControl
            updatedAt={updatedAt}
            refreshing={keys.isFetching && !keys.isPlaceholderData && data !== undefined}
            newer={sync.newerAvailable}
            onRefresh={() => {
              void keys.refetch();
              void facets.refetch();
              void status.refetch();
            }}
          />
        </AppHeader>
      </AppShell.Header>
      <AppShell.Main>
        <Box px={{ base: 'md', md: 'xl' }} py="lg" maw={1680} mx="auto">
          <Stack gap="md">
            <ScopeWarning scope={status.data?.key_scope} />
            <div>
              <Title order={1} size="h2">
                API keys
              </Title>
              <Text c="dimmed" size="sm">
                Virtual keys of the LiteLLM proxy. Select a row for every detail.
              </Text>
            </div>
            {data && <StaleWarning freshness={sync.freshness} />}
            {data && <PartialWarning count={data.partial_count} />}
            {data && (
              <TruncationNotice
                truncated={data.truncated}
                searched={data.total_keys}
                held={data.store_total_keys}
              />
            )}
            {showFilters && (
              <SummaryCards
                facets={facets.data}
                fallbackTotal={data?.total}
                loading={facets.isPending || sync.facetsLoading}
                filters={state.filters}
                sortBy={state.sortBy}
                sortOrder={state.sortOrder}
                onFilters={setFilters}
                onSort={setSort}
              />
            )}
            {refreshFailed && (
              <Text role="alert" c="red.8" size="sm" data-testid="refresh-error">
                Refresh failed: {keysErrorMessage(keys.error)} Showing the last loaded keys.
              </Text>
            )}
            {/* Above the search row, which stays next to the table it counts and sorts. */}
            {showFilters && (
              <FilterPanel
                id={filterPanelId}
                collapsed={layout.filtersCollapsed}
                filters={state.filters}
                facets={facets.data}
                countsUnavailable={facetsUnavailable}
                retryingCounts={facets.isFetching}
                countsWaiting={sync.facetsLoading}
                onRetryCounts={() => void facets.refetch()}
                onChange={setFilters}
              />
            )}
            <Group justify="space-between" gap="sm" wrap="wrap">
              <Group gap="md" wrap="wrap">
                <SearchBox
                  inputRef={searchRef}
                  value={search.value}
                  onChange={search.setValue}
                  onClear={search.clear}
                />
                <Text
                  size="sm"
                  c="dimmed"
                  role="status"
                  aria-live="polite"
                  data-testid="match-count"
                >
                  {data ? matchLabel(data.total, state.search !== '' || filtered) : ''}
                </Text>
                {data && <FreshnessLine asOf={sync.asOf} />}
              </Group>
              <Group gap="sm">
                <ViewToggles
                  filterPanelId={showFilters ? filterPanelId : undefined}
                  filtersCollapsed={layout.filtersCollapsed}
                  activeFilters={countActiveFilters(state.filters)}
                  onFiltersCollapsed={setFiltersCollapsed}
                  density={layout.density}
                  onDensity={setDensity}
                />
                <ExportMenu
                  state={state}
                  total={facets.data?.total ?? data?.total}
                  blocked={sync.exportBlocked}
                />
                <ColumnsMenu
                  visibility={visibility}
                  visibleCount={visibleCount}
                  onToggle={setVisible}
                  onReset={reset}
                />
              </Group>
            </Group>
            {sync.banner && <SyncBanner progress={sync.banner.progress} />}
            <KeysBody
              keys={keys}
              sync={sync}
              state={state}
              columns={columns}
              density={layout.density}
              filtered={filtered}
              onClearSearch={search.clear}
              onClearFilters={clearFilters}
              onSort={setSort}
              onPage={setPage}
              onSize={setSize}
              onOpen={openKey}
            />
          </Stack>
        </Box>
      </AppShell.Main>
      <KeyDrawer record={selected} opened={drawerOpened} onClose={drawer.close} />
    </AppShell>
  );
}
