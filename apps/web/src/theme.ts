import { type CSSVariablesResolver, type MantineColorsTuple, createTheme } from '@mantine/core';

// Mantine's orange with the two darkest shades deepened: white text on shade 8 (#c2410c) is
// 5.2:1 and on shade 9 is 7.3:1, so filled orange buttons meet WCAG AA for normal text.
const orange: MantineColorsTuple = [
  '#fff4e6',
  '#ffe8cc',
  '#ffd8a8',
  '#ffc078',
  '#ffa94d',
  '#ff922b',
  '#fd7e14',
  '#e8590c',
  '#c2410c',
  '#9a3412',
];

export const theme = createTheme({
  primaryColor: 'orange',
  primaryShade: 8,
  colors: { orange },
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  headings: { fontWeight: '700' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  respectReducedMotion: true,
  focusRing: 'auto',
});

// Mantine's default "dimmed" grey is 3.3:1 on white; this one is 5.9:1.
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#5f6670' },
  dark: {},
});
