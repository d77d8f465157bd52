import { Button, Checkbox, Divider, Popover, Stack, Text } from '@mantine/core';
import { IconColumns } from '../../components/icons';
import { COLUMNS, type ColumnVisibility, isVisible } from './columns';

interface ColumnsMenuProps {
  visibility: ColumnVisibility;
  visibleCount: number;
  onToggle: (accessor: string, visible: boolean) => void;
  onReset: () => void;
}

export function ColumnsMenu({ visibility, visibleCount, onToggle, onReset }: ColumnsMenuProps) {
  return (
    <Popover position="bottom-end" shadow="md" withArrow trapFocus returnFocus>
      <Popover.Target>
        <Button variant="default" leftSection={<IconColumns size={16} />}>
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="group" aria-label="Visible columns" miw={200}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            Show columns
          </Text>
          {COLUMNS.map((column) => {
            const checked = isVisible(visibility, column);
            return (
              <Checkbox
                key={column.accessor}
                label={column.title}
                checked={checked}
                // The table always keeps one column: an empty table reads as a bug.
                disabled={checked && visibleCount === 1}
                onChange={(event) => onToggle(column.accessor, event.currentTarget.checked)}
              />
            );
          })}
          <Divider />
          <Button variant="subtle" size="xs" onClick={onReset}>
            Reset columns
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
