import type { DataTableColumn } from 'mantine-datatable';
import type { KeyOut } from '../../api/types';
import type { KeyPageOut } from '../../api/syncTypes';
import { SyncProgressPanel } from '../sync/SyncProgress/SyncProgressPanel';
import type { SyncView } from '../sync/useSyncView';
import { keysErrorMessage } from './errorMessage';
import { KeysEmptyState, KeysErrorState, KeysNoMatchState } from './KeysStates';
import { KeysTable } from './KeysTable';
import { KeysTableSkeleton } from './KeysTableSkeleton';
import type { Density } from './layoutStorage';
import type { SortField, SortOrder, TableState } from './tableState';

interface KeysBodyProps {
  keys: {
    data: KeyPageOut | undefined;
    error: unknown;
    isError: boolean;
    isFetching: boolean;
    isPlaceholderData: boolean;
    refetch: () => unknown;
  };
  sync: SyncView;
  state: TableState;
  columns: DataTableColumn<KeyOut>[];
  density: Density;
  filtered: boolean;
  onClearSearch: () => void;
  onClearFilters: () => void;
  onSort: (sortBy: SortField, sortOrder: SortOrder) => void;
  onPage: (page: number) => void;
  onSize: (size: TableState['size']) => void;
  onOpen: (record: KeyOut) => void;
}

/** What stands where the table goes: progress, error, skeleton, empty, no match, or rows. */
export function KeysBody({ keys, sync, state, columns, density, filtered, ...on }: KeysBodyProps) {
  const data = keys.data;
  // Still loading every key from LiteLLM: a progress bar, not an error.
  if (sync.panel) return <SyncProgressPanel progress={sync.panel.progress} />;
  if (keys.isError && !data) {
    return (
      <KeysErrorState
        message={keysErrorMessage(keys.error)}
        onRetry={() => void keys.refetch()}
        retrying={keys.isFetching}
        onClearFilters={filtered ? on.onClearFilters : undefined}
      />
    );
  }
  if (!data) return <KeysTableSkeleton columns={columns} rows={state.size} />;
  if (data.total_keys === 0) return <KeysEmptyState />;
  if (data.total === 0 && (state.search || filtered)) {
    return (
      <KeysNoMatchState
        search={state.search}
        filtered={filtered}
        onClearSearch={on.onClearSearch}
        onClearFilters={on.onClearFilters}
      />
    );
  }
  return (
    <KeysTable
      records={data.items}
      totalRecords={data.total}
      columns={columns}
      state={state}
      density={density}
      fetching={keys.isPlaceholderData && keys.isFetching}
      onSort={on.onSort}
      onPage={on.onPage}
      onSize={on.onSize}
      onOpen={on.onOpen}
    />
  );
}
