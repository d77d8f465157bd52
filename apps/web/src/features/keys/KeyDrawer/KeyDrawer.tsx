import { Alert, Divider, Drawer, Stack, Text } from '@mantine/core';
import type { KeyOut } from '../../../api/types';
import { BudgetWindowSection } from './BudgetWindowSection';
import { DetailsFields } from './DetailsFields';
import { LastUseSection } from './LastUseSection';
import { RotationSection } from './RotationSection';
import { UsageSection } from './UsageSection';
import { WhoSection } from './WhoSection';

interface KeyDrawerProps {
  record: KeyOut | null;
  opened: boolean;
  onClose: () => void;
}

export function KeyDrawer({ record, opened, onClose }: KeyDrawerProps) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Text fw={700}>Key details</Text>}
      closeButtonProps={{ 'aria-label': 'Close key details' }}
    >
      {record && (
        <Stack gap="md" data-testid="key-drawer">
          {record.partial && (
            <Alert color="yellow" variant="light">
              LiteLLM sent some fields of this key in an unexpected shape; what could be read is
              shown.
              {record.unreadable_fields.length > 0 && (
                <> Unreadable: {record.unreadable_fields.join(', ')}.</>
              )}
            </Alert>
          )}
          <DetailsFields record={record} />
          <Divider />
          <LastUseSection record={record} />
          <RotationSection record={record} onNavigate={onClose} />
          <BudgetWindowSection record={record} />
          <WhoSection record={record} />
          <Divider />
          {/* Asked of LiteLLM only while the drawer is open; its code loads on first open. */}
          {opened && <UsageSection keyId={record.id} />}
        </Stack>
      )}
    </Drawer>
  );
}
