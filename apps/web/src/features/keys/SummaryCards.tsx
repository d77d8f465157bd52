import { SimpleGrid } from '@mantine/core';
import type { KeyFacets } from '../../api/types';
import type { KeyFilters } from './filters';
import { formatMoney } from './format';
import { SummaryCard } from './SummaryCard';
import type { SortField, SortOrder } from './tableState';

// Test ids: summary-card-{total|expired|expiring|blocked|all-models|zombie|spend}. Each card is a
// button; a card that applies a filter has aria-pressed (true while exactly its filter is
// on) and carries its number in data-value (absent while loading or unavailable).
//   total      clears the status filter      expired / blocked  status = that one only
//   expiring   expires within 30 days        all-models         keys that reach every model
//   zombie     active keys unused 90+ days that never expire or reach every model (its
//              explanation sits beside the number, so the card is hardly taller)
//   spend      sorts by spend, highest first (there is no spend filter to apply)

interface SummaryCardsProps {
  facets: KeyFacets | undefined;
  /** Keys in the current view, from the table, for when the facets are not there. */
  fallbackTotal: number | undefined;
  loading: boolean;
  filters: KeyFilters;
  sortBy: SortField;
  sortOrder: SortOrder;
  onFilters: (filters: KeyFilters) => void;
  onSort: (sortBy: SortField, sortOrder: SortOrder) => void;
}

const DEFAULT_SORT: [SortField, SortOrder] = ['created_at', 'desc'];

export function SummaryCards({
  facets,
  fallbackTotal,
  loading,
  filters,
  sortBy,
  sortOrder,
  onFilters,
  onSort,
}: SummaryCardsProps) {
  const only = (status: 'expired' | 'blocked') =>
    filters.status.length === 1 && filters.status[0] === status;
  const toggleStatus = (status: 'expired' | 'blocked') =>
    onFilters({ ...filters, status: only(status) ? [] : [status] });
  const bySpend = sortBy === 'spend' && sortOrder === 'desc';

  return (
    <SimpleGrid
      cols={{ base: 2, sm: 4, lg: 7 }}
      spacing="sm"
      component="section"
      aria-label="Summary of the current view"
      data-testid="summary-cards"
    >
      <SummaryCard
        id="total"
        label="Total keys"
        value={facets?.total ?? fallbackTotal}
        hint="Keys in this view; click to show every status"
        loading={loading}
        onClick={() => onFilters({ ...filters, status: [] })}
      />
      <SummaryCard
        id="expired"
        label="Expired"
        value={facets?.status.expired}
        hint="Show only expired keys"
        pressed={only('expired')}
        loading={loading}
        onClick={() => toggleStatus('expired')}
      />
      <SummaryCard
        id="expiring"
        label="Expiring in 30 days"
        value={facets?.expires_within_days.find((item) => item.days === 30)?.count}
        hint="Show keys that expire within 30 days"
        pressed={filters.expiresWithinDays === 30}
        loading={loading}
        onClick={() =>
          onFilters({ ...filters, expiresWithinDays: filters.expiresWithinDays === 30 ? null : 30 })
        }
      />
      <SummaryCard
        id="blocked"
        label="Blocked"
        value={facets?.status.blocked}
        hint="Show only blocked keys"
        pressed={only('blocked')}
        loading={loading}
        onClick={() => toggleStatus('blocked')}
      />
      <SummaryCard
        id="all-models"
        label="All-model keys"
        value={facets?.all_models}
        hint="Show keys that can reach every model"
        pressed={filters.allModels}
        loading={loading}
        onClick={() => onFilters({ ...filters, allModels: !filters.allModels })}
      />
      <SummaryCard
        id="zombie"
        label="Zombie keys"
        value={facets?.zombie}
        hint="Show only zombie keys: the ones to revoke first"
        note="active, unused 90+ days, never expiring or all models"
        pressed={filters.zombie}
        loading={loading}
        onClick={() => onFilters({ ...filters, zombie: !filters.zombie })}
      />
      <SummaryCard
        id="spend"
        label="Total spend"
        value={facets?.total_spend}
        format={formatMoney}
        hint="Sort by spend, highest first"
        pressed={bySpend}
        loading={loading}
        onClick={() => (bySpend ? onSort(...DEFAULT_SORT) : onSort('spend', 'desc'))}
      />
    </SimpleGrid>
  );
}
