import { Alert } from '@mantine/core';
import { IconAlert } from '../../components/icons';
import { formatCount } from './format';

export function PartialWarning({ count }: { count: number }) {
  if (count <= 0) return null;
  const subject = count === 1 ? '1 key' : `${formatCount(count)} keys`;
  return (
    <Alert
      color="yellow"
      variant="light"
      role="status"
      icon={<IconAlert size={18} />}
      data-testid="partial-warning"
    >
      {subject} had fields LiteLLM sent in an unexpected shape; they are shown with what could be
      read.
    </Alert>
  );
}
