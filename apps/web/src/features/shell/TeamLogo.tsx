import classes from './TeamLogo.module.css';

interface TeamLogoProps {
  size?: number;
  playing?: boolean;
}

/** The Keydash mark: a key whose shaft ends in the orange dash. Decorative on its own. */
export function TeamLogo({ size = 32, playing = false }: TeamLogoProps) {
  return (
    <svg
      className={classes.logo}
      data-playing={playing || undefined}
      width={size}
      height={size}
      viewBox="0 0 48 48"
      aria-hidden="true"
      focusable="false"
    >
      <g className={classes.key}>
        <circle cx="15" cy="20" r="9" fill="none" stroke="#1f2328" strokeWidth="4" />
        <circle cx="15" cy="20" r="2.5" fill="#1f2328" />
        <path
          d="M24 20h17M35 20v6M41 20v4"
          fill="none"
          stroke="#1f2328"
          strokeWidth="4"
          strokeLinecap="round"
        />
      </g>
      <rect className={classes.dash} x="6" y="36" width="22" height="5" rx="2.5" fill="#c2410c" />
    </svg>
  );
}
