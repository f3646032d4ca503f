import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { whenUnauthorised } from './api';
import './i18n';
import { createAppRouter } from './router';
import { setToken } from './session';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // An error is the API's answer: show it at once rather than retrying a 4xx three times.
    queries: {
      retry: (count, error) => count < 2 && !('status' in error && Number(error.status) < 500),
      staleTime: 15_000,
    },
  },
});
const router = createAppRouter(queryClient);

whenUnauthorised(() => {
  setToken(null);
  queryClient.clear();
  void router.navigate({ to: '/sign-in', search: { next: router.state.location.href } });
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
