import { Skeleton } from '@mantine/core';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import type { KeyOut } from '../../api/types';

interface SkeletonRow {
  id: string;
}

/** The table's own header over placeholder rows, so the first load does not shift the page. */
export function KeysTableSkeleton({
  columns,
  rows,
}: {
  columns: DataTableColumn<KeyOut>[];
  rows: number;
}) {
  const skeletonColumns: DataTableColumn<SkeletonRow>[] = columns.map((column) => ({
    accessor: String(column.accessor),
    title: column.title,
    hidden: column.hidden ?? false,
    ...(column.width === undefined ? {} : { width: column.width }),
    ...(column.titleStyle === undefined ? {} : { titleStyle: column.titleStyle }),
    render: () => <Skeleton height={14} my={6} radius="sm" />,
  }));
  const records = Array.from({ length: Math.min(rows, 10) }, (_, index) => ({
    id: `skeleton-${index}`,
  }));
  return (
    <div data-testid="keys-loading" aria-busy="true" aria-label="Loading keys">
      <DataTable<SkeletonRow>
        withTableBorder
        borderRadius="md"
        minHeight={360}
        horizontalSpacing="md"
        verticalSpacing="sm"
        records={records}
        columns={skeletonColumns}
      />
    </div>
  );
}
