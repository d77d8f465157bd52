import { Button, Menu } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { MouseEvent } from 'react';
import { isUnauthorized } from '../../api/client';
import { fetchMe, ME_QUERY_KEY } from '../auth/api';
import { IconDownload } from '../../components/icons';
import { exportUrl } from './api';
import { downloads } from './download';
import { formatCount } from './format';
import { type ExportFormat, type TableState, toExportQuery } from './tableState';

// Test ids: export-menu (the button that opens it), export-csv, export-json (the links).

interface ExportMenuProps {
  state: TableState;
  /** Keys the export will hold, when known. */
  total: number | undefined;
  /** The API refuses exports until every key is loaded (503 mirror_loading): say so. */
  blocked?: boolean;
}

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV (spreadsheet)' },
  { format: 'json', label: 'JSON' },
];

/**
 * Every key of the current view (search, filters and sort; all pages) as a file. Each item is
 * a plain link: the session cookie goes with it and the API names the file, so a large export
 * streams to disk instead of through the page's memory.
 *
 * A plain click checks the session first: a link followed with an expired session would save
 * the API's 401 body as the export. With the session gone, the usual sign-in redirect runs.
 */
export function ExportMenu({ state, total, blocked = false }: ExportMenuProps) {
  const queryClient = useQueryClient();
  const onExport = async (event: MouseEvent<HTMLAnchorElement>) => {
    // Modified clicks (new tab, save link as) and middle clicks are the browser's own.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    const href = event.currentTarget.href;
    try {
      await queryClient.fetchQuery({
        queryKey: ME_QUERY_KEY,
        queryFn: ({ signal }) => fetchMe(signal),
        staleTime: 0,
      });
    } catch (error) {
      if (isUnauthorized(error)) return;
      // Any other failure: let the download itself show what is wrong.
    }
    downloads.start(href);
  };
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
        {blocked && (
          <Menu.Label data-testid="export-blocked">
            Export is available once all keys are loaded.
          </Menu.Label>
        )}
        {FORMATS.map(({ format, label }) =>
          blocked ? (
            <Menu.Item key={format} disabled data-testid={`export-${format}`}>
              {label}
            </Menu.Item>
          ) : (
            <Menu.Item
              key={format}
              component="a"
              href={exportUrl(toExportQuery(state, format))}
              download
              onClick={onExport}
              data-testid={`export-${format}`}
            >
              {label}
            </Menu.Item>
          ),
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
