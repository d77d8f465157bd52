import { Group, NativeSelect, Text } from '@mantine/core';
import { DataTable, type DataTableColumn, type DataTableSortStatus } from 'mantine-datatable';
import type { KeyboardEvent } from 'react';
import type { KeyOut } from '../../api/types';
import { formatCount } from './format';
import type { Density } from './layoutStorage';
import { PAGE_SIZES, type PageSize, type TableState, isPageSize, isSortField } from './tableState';

interface KeysTableProps {
  records: KeyOut[];
  totalRecords: number;
  columns: DataTableColumn<KeyOut>[];
  state: TableState;
  density: Density;
  /** True while a new page/sort loads behind the previous rows. */
  fetching: boolean;
  onSort: (sortBy: TableState['sortBy'], order: TableState['sortOrder']) => void;
  onPage: (page: number) => void;
  onSize: (size: PageSize) => void;
  onOpen: (record: KeyOut) => void;
}

const CONTROL_LABELS = {
  first: 'First page',
  last: 'Last page',
  previous: 'Previous page',
  next: 'Next page',
} as const;

/** A labelled native select: the table's built-in size menu has no accessible name. */
function PageSizeSelect({
  value,
  onChange,
}: {
  value: PageSize;
  onChange: (size: PageSize) => void;
}) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Text component="label" htmlFor="keys-page-size" size="sm">
        Rows per page
      </Text>
      <NativeSelect
        id="keys-page-size"
        size="xs"
        w={72}
        value={String(value)}
        data={PAGE_SIZES.map(String)}
        onChange={(event) => {
          const size = Number(event.currentTarget.value);
          if (isPageSize(size)) onChange(size);
        }}
      />
    </Group>
  );
}

export function KeysTable(props: KeysTableProps) {
  const { records, totalRecords, columns, state, density, fetching } = props;
  const { onSort, onPage, onSize, onOpen } = props;
  const compact = density === 'compact';

  const sortStatus: DataTableSortStatus<KeyOut> = {
    columnAccessor: state.sortBy,
    direction: state.sortOrder,
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, record: KeyOut) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(record);
    }
  };

  return (
    <DataTable<KeyOut>
      withTableBorder
      borderRadius="md"
      highlightOnHover
      verticalAlign="top"
      minHeight={360}
      horizontalSpacing={compact ? 'sm' : 'md'}
      // Compact: a third of the padding, so about a third more rows fit at 1440x900.
      verticalSpacing={compact ? 4 : 'sm'}
      fz="sm"
      idAccessor="id"
      records={records}
      columns={columns}
      sortStatus={sortStatus}
      onSortStatusChange={({ columnAccessor, direction }) => {
        if (!isSortField(columnAccessor)) return;
        // The table keeps the old direction for a new column; a fresh column reads A to Z.
        onSort(columnAccessor, columnAccessor === state.sortBy ? direction : 'asc');
      }}
      page={state.page}
      onPageChange={onPage}
      totalRecords={totalRecords}
      recordsPerPage={state.size}
      paginationText={({ from, to, totalRecords: total }) =>
        `Showing ${formatCount(from)}–${formatCount(to)} of ${formatCount(total)}`
      }
      paginationActiveBackgroundColor="orange.8"
      getPaginationControlProps={(control) => ({ 'aria-label': CONTROL_LABELS[control] })}
      getPaginationItemProps={(page) => ({ 'aria-label': `Page ${page}` })}
      renderPagination={({ Controls }) => (
        <Group justify="space-between" gap="sm" w="100%" wrap="wrap">
          <Controls.Text />
          <Group gap="lg" wrap="wrap">
            <PageSizeSelect value={state.size} onChange={onSize} />
            <Controls.Pagination />
          </Group>
        </Group>
      )}
      fetching={fetching}
      loaderColor="orange.8"
      onRowClick={({ record }) => onOpen(record)}
      customRowAttributes={(record) => ({
        tabIndex: 0,
        'data-testid': 'key-row',
        'aria-haspopup': 'dialog',
        onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => onRowKeyDown(event, record),
      })}
      aria-label="API keys"
      data-density={density}
    />
  );
}
