import { Button, Menu } from '@mantine/core';
import { IconDownload } from '../../components/icons';
import { exportUrl } from './api';
import { formatCount } from './format';
import { type ExportFormat, type TableState, toExportQuery } from './tableState';

// Test ids: export-menu (the button that opens it), export-csv, export-json (the links).

interface ExportMenuProps {
  state: TableState;
  /** Keys the export will hold, when known. */
  total: number | undefined;
}

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV (spreadsheet)' },
  { format: 'json', label: 'JSON' },
];

/**
 * Every key of the current view (search, filters and sort; all pages) as a file. Each item is
 * a plain link: the session cookie goes with it and the API names the file, so a large export
 * streams to disk instead of through the page's memory.
 */
export function ExportMenu({ state, total }: ExportMenuProps) {
  return (
    <Menu position="bottom-end" shadow="md" withArrow withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          data-testid="export-menu"
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {total === undefined
            ? 'Keys in this view'
            : `${formatCount(total)} ${total === 1 ? 'key' : 'keys'} in this view`}
        </Menu.Label>
        {FORMATS.map(({ format, label }) => (
          <Menu.Item
            key={format}
            component="a"
            href={exportUrl(toExportQuery(state, format))}
            download
            data-testid={`export-${format}`}
          >
            {label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
