import { Text } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import type { KeyOut } from '../../api/types';
import { BadgeList } from './cells/BadgeList';
import { BudgetWindowCell } from './cells/BudgetWindowCell';
import { DateCell } from './cells/DateCell';
import { LastUsedCell } from './cells/LastUsedCell';
import { MaskedKeyCell } from './cells/MaskedKeyCell';
import { Missing } from './cells/Missing';
import { RelativeTime } from './cells/RelativeTime';
import { NextRotationCell, RotationCountCell, RotationPolicyCell } from './cells/RotationCells';
import { SpendCell } from './cells/SpendCell';
import { StatusBadge } from './cells/StatusBadge';
import type { SortField } from './tableState';

export interface ColumnDef {
  /** Also the API's sort_by value for the column. */
  accessor: SortField;
  title: string;
  visibleByDefault: boolean;
  /** Fixed width, for columns whose content has a known size. */
  width?: number;
  /** Below this the table scrolls sideways instead of squeezing badges and names. */
  minWidth?: number;
  render: (record: KeyOut) => React.ReactNode;
}

function OwnerCell({ record }: { record: KeyOut }) {
  if (!record.owner) return <Missing label="No owner" />;
  return (
    <div>
      <Text size="sm">{record.owner}</Text>
      {record.owner_email && record.owner_email !== record.owner && (
        <Text size="xs" c="dimmed">
          {record.owner_email}
        </Text>
      )}
    </div>
  );
}

function DescriptionCell({ record }: { record: KeyOut }) {
  if (!record.description) return <Missing label="No description" />;
  return (
    <Text size="sm" lineClamp={2} title={record.description}>
      {record.description}
    </Text>
  );
}

export const COLUMNS: readonly ColumnDef[] = [
  {
    accessor: 'masked_key',
    title: 'Key',
    visibleByDefault: true,
    width: 200,
    render: (record) => <MaskedKeyCell record={record} />,
  },
  {
    accessor: 'owner',
    title: 'Owner',
    visibleByDefault: true,
    minWidth: 180,
    render: (record) => <OwnerCell record={record} />,
  },
  {
    accessor: 'description',
    title: 'Description',
    visibleByDefault: true,
    minWidth: 220,
    render: (record) => <DescriptionCell record={record} />,
  },
  {
    accessor: 'created_at',
    title: 'Created',
    visibleByDefault: true,
    width: 150,
    render: (record) => <DateCell iso={record.created_at} />,
  },
  {
    accessor: 'last_used_at',
    title: 'Last used',
    visibleByDefault: true,
    width: 130,
    render: (record) => <LastUsedCell record={record} />,
  },
  {
    accessor: 'allowed_models',
    title: 'Models',
    visibleByDefault: true,
    minWidth: 210,
    render: (record) => (
      <BadgeList values={record.allowed_models} color="gray" emptyLabel="All models" />
    ),
  },
  {
    accessor: 'tags',
    title: 'Tags',
    visibleByDefault: true,
    minWidth: 170,
    render: (record) =>
      record.tags.length ? (
        <BadgeList values={record.tags} color="orange" />
      ) : (
        <Missing label="No tags" />
      ),
  },
  {
    accessor: 'status',
    title: 'Status',
    visibleByDefault: false,
    width: 110,
    render: (record) => <StatusBadge status={record.status} />,
  },
  {
    accessor: 'expires_at',
    title: 'Expires',
    visibleByDefault: false,
    width: 150,
    render: (record) => <DateCell iso={record.expires_at} missingLabel="Never expires" />,
  },
  {
    accessor: 'spend',
    title: 'Spend / budget',
    visibleByDefault: false,
    minWidth: 180,
    render: (record) => <SpendCell record={record} />,
  },
  {
    accessor: 'team_id',
    title: 'Team',
    visibleByDefault: false,
    minWidth: 140,
    render: (record) =>
      record.team_id ? <Text size="sm">{record.team_id}</Text> : <Missing label="No team" />,
  },
  {
    accessor: 'rotation_interval',
    title: 'Rotation',
    visibleByDefault: false,
    width: 130,
    render: (record) => <RotationPolicyCell record={record} />,
  },
  {
    accessor: 'next_rotation_at',
    title: 'Next rotation',
    visibleByDefault: false,
    width: 190,
    render: (record) => <NextRotationCell record={record} />,
  },
  {
    accessor: 'last_rotated_at',
    title: 'Last rotation',
    visibleByDefault: false,
    width: 140,
    render: (record) => <RelativeTime iso={record.last_rotated_at} missingLabel="Never rotated" />,
  },
  {
    accessor: 'rotation_count',
    title: 'Rotations',
    visibleByDefault: false,
    width: 110,
    render: (record) => <RotationCountCell record={record} />,
  },
  {
    accessor: 'budget_duration',
    title: 'Budget window',
    visibleByDefault: false,
    minWidth: 200,
    render: (record) => <BudgetWindowCell record={record} />,
  },
  {
    accessor: 'budget_reset_at',
    title: 'Budget reset',
    visibleByDefault: false,
    width: 140,
    render: (record) => (
      <RelativeTime iso={record.budget_reset_at} missingLabel="No budget window" />
    ),
  },
];

export type ColumnVisibility = Record<string, boolean>;

export function defaultVisibility(): ColumnVisibility {
  return Object.fromEntries(COLUMNS.map((column) => [column.accessor, column.visibleByDefault]));
}

export function isVisible(visibility: ColumnVisibility, column: ColumnDef): boolean {
  return visibility[column.accessor] ?? column.visibleByDefault;
}

export function toDataTableColumns(visibility: ColumnVisibility): DataTableColumn<KeyOut>[] {
  return COLUMNS.map((column) => ({
    accessor: column.accessor,
    title: column.title,
    sortable: true,
    hidden: !isVisible(visibility, column),
    render: column.render,
    ...(column.width === undefined ? {} : { width: column.width }),
    ...(column.minWidth === undefined ? {} : { titleStyle: { minWidth: column.minWidth } }),
  }));
}
