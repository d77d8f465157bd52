import { Tooltip, UnstyledButton } from '@mantine/core';
import { useReducedMotion, useTimeout } from '@mantine/hooks';
import { useState } from 'react';
import { TeamLogo } from './TeamLogo';

export const EASTER_EGG_LINE = 'Made with care by the Keydash team — keep your keys tidy!';

/**
 * A small hello from the team: hover, focus or click the logo. The tooltip opens below the
 * logo, where there is no control to cover, and ignores the pointer.
 */
export function LogoEasterEgg() {
  const reduceMotion = useReducedMotion();
  const [hovered, setHovered] = useState(false);
  const [pinned, setPinned] = useState(false);
  const [playing, setPlaying] = useState(false);
  const stop = useTimeout(() => setPlaying(false), 700);

  const play = () => {
    if (reduceMotion) return;
    setPlaying(true);
    stop.start();
  };

  return (
    <Tooltip
      label={EASTER_EGG_LINE}
      opened={hovered || pinned}
      position="bottom-start"
      withArrow
      color="dark"
      multiline
      w={260}
      zIndex={150}
    >
      <UnstyledButton
        aria-label="Keydash team logo"
        aria-pressed={pinned}
        data-testid="easter-egg"
        onMouseEnter={() => {
          setHovered(true);
          play();
        }}
        onMouseLeave={() => setHovered(false)}
        onFocus={() => setHovered(true)}
        onBlur={() => {
          setHovered(false);
          setPinned(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setPinned(false);
        }}
        onClick={() => {
          setPinned((value) => !value);
          play();
        }}
        style={{ borderRadius: 8, lineHeight: 0 }}
      >
        <TeamLogo size={32} playing={playing} />
      </UnstyledButton>
    </Tooltip>
  );
}
