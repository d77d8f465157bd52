export { ChipGroup } from './ChipGroup';
export { FilterChip } from './FilterChip';
