import type { DayUsage } from '../../../../api/types';
import { formatDay, formatMoney } from '../../format';

const WIDTH = 300;
const HEIGHT = 64;
const GAP = 2;
/** A day with no spend still shows a sliver, so the days read as a row. */
const MIN_BAR = 1;

/**
 * Spend per day as bars, drawn by hand: a chart library would outweigh the whole drawer.
 * Each bar's <title> gives its day and amount on hover; the panel's table has the same numbers.
 */
export function SpendChart({ days }: { days: DayUsage[] }) {
  if (days.length === 0) return null;
  const max = Math.max(...days.map((day) => day.spend));
  const slot = WIDTH / days.length;
  const first = days[0];
  const last = days[days.length - 1];
  const label =
    first && last
      ? `Spend per day, ${formatDay(first.date)} to ${formatDay(last.date)}; highest ${formatMoney(max)}`
      : 'Spend per day';
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      height={HEIGHT}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid="spend-chart"
    >
      <line
        x1={0}
        x2={WIDTH}
        y1={HEIGHT - 0.5}
        y2={HEIGHT - 0.5}
        stroke="var(--mantine-color-gray-3)"
      />
      {days.map((day, index) => {
        const height = max > 0 ? Math.max(MIN_BAR, (day.spend / max) * (HEIGHT - 4)) : MIN_BAR;
        return (
          <rect
            key={day.date}
            x={index * slot + GAP / 2}
            y={HEIGHT - height}
            width={Math.max(1, slot - GAP)}
            height={height}
            rx={1}
            fill={day.spend > 0 ? 'var(--mantine-color-orange-6)' : 'var(--mantine-color-gray-4)'}
          >
            <title>{`${formatDay(day.date)}: ${formatMoney(day.spend)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
