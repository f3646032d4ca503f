import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import './i18n';

/** Renders a piece of a screen with a query client and a router around it, as the app does. */
export function renderScreen(ui: ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createRouter({
    routeTree: createRootRoute({ component: () => <>{ui}</> }),
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  return render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

/** A fetch that answers each path (without query string, or with it) from a table; anything else is a 404. */
export function fakeApi(answers: Record<string, unknown>) {
  const calls: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    const url = String(input);
    calls.push(url);
    const path = url.split('?')[0] as string;
    const body = url in answers ? answers[url] : answers[path];
    if (body === undefined)
      return new Response(JSON.stringify({ statusCode: 404, error: 'Not Found', message: `no ${url}` }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    if (body instanceof Response) return body;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}
