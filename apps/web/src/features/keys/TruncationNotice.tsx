import { Alert } from '@mantine/core';
import { formatCount } from './format';

interface TruncationNoticeProps {
  truncated: boolean;
  searched: number;
  held: number;
}

/** Says plainly when search and sort do not see every key LiteLLM holds (MAX_KEYS). */
export function TruncationNotice({ truncated, searched, held }: TruncationNoticeProps) {
  if (!truncated) return null;
  return (
    <Alert color="blue" variant="light" role="status" data-testid="truncation-notice">
      LiteLLM holds {formatCount(held)} keys; Keydash reads the newest {formatCount(searched)}, so
      search and sorting cover those.
    </Alert>
  );
}
