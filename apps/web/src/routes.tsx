import { Center, Loader } from '@mantine/core';
import { Suspense, lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { RequireAuth } from './features/auth/RequireAuth';

// Each screen is its own chunk: the login page does not download the table.
const LoginPage = lazy(() => import('./features/auth/LoginPage'));
const KeysPage = lazy(() => import('./features/keys/KeysPage'));

function PageLoader() {
  return (
    <Center mih="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

export function AppRoutes() {
  return (
    <Suspense fallback={<PageLoader />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<RequireAuth />}>
          <Route path="/keys" element={<KeysPage />} />
        </Route>
        <Route path="/" element={<Navigate to="/keys" replace />} />
        <Route path="*" element={<Navigate to="/keys" replace />} />
      </Routes>
    </Suspense>
  );
}
