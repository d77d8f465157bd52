import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type RenderResult, render as rtlRender } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { createQueryClient } from '../api/queryClient';
import { AppRoutes } from '../routes';
import { cssVariablesResolver, theme } from '../theme';

/** Shows where the router is, so tests can assert redirects and the query string. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

interface Options {
  route?: string;
  queryClient?: QueryClient;
}

export interface AppRender extends RenderResult {
  user: ReturnType<typeof userEvent.setup>;
  queryClient: QueryClient;
  location: () => URL;
}

export function renderWithProviders(
  ui: ReactElement,
  { route = '/', queryClient = createQueryClient() }: Options = {},
): AppRender {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} env="test">
      <Notifications />
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[route]}>
          {children}
          <LocationProbe />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
  const result = rtlRender(ui, { wrapper });
  return {
    ...result,
    user: userEvent.setup(),
    queryClient,
    location: () => new URL(result.getByTestId('location').textContent ?? '/', 'http://localhost'),
  };
}

/** The whole app's routes at `route`, as a user would reach it. */
export function renderApp(route: string, options: Omit<Options, 'route'> = {}): AppRender {
  return renderWithProviders(<AppRoutes />, { ...options, route });
}
