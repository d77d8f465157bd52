import { Progress } from '@mantine/core';
import type { SyncProgress } from '../../../api/syncTypes';
import { formatLoaded, progressPercent } from '../format';

interface SyncProgressBarProps {
  progress: SyncProgress | null;
  size: 'xs' | 'lg';
  label: string;
}

/** Determinate when LiteLLM said how many keys there are, an animated stripe otherwise. */
export function SyncProgressBar({ progress, size, label }: SyncProgressBarProps) {
  const percent = progress ? progressPercent(progress) : null;
  if (percent !== null && progress) {
    return (
      <Progress.Root size={size}>
        <Progress.Section
          value={percent}
          withAria={false}
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${formatLoaded(progress)} keys (${percent}%)`}
        />
      </Progress.Root>
    );
  }
  // No aria-valuenow: an indeterminate progressbar in ARIA terms.
  return (
    <Progress.Root size={size} role="progressbar" aria-label={label}>
      <Progress.Section value={100} withAria={false} animated color="orange.4" />
    </Progress.Root>
  );
}
