import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useApp } from './app-context';
import { Link, matchPath, navigate, useLocation } from './lib/router';
import { CampaignsPage } from './pages/campaigns-page';
import { Loading } from './ui/parts';

// The campaigns list is the landing page and ships in the first chunk; every other page loads when first opened.
const CampaignEditorPage = lazy(() => import('./campaigns/campaign-editor-page'));
const CampaignResultsPage = lazy(() => import('./pages/campaign-results-page'));
const ContactsPage = lazy(() => import('./pages/contacts-page'));
const ContactPage = lazy(() => import('./pages/contact-page'));
const WorkflowsPage = lazy(() => import('./workflows/workflows-page'));
const WorkflowNewPage = lazy(() => import('./workflows/workflow-new-page'));
const WorkflowPage = lazy(() => import('./workflows/workflow-page'));
const SettingsPage = lazy(() => import('./pages/settings-page'));

const NAV = [
  { href: '/campaigns', label: 'SMS Campaigns' },
  { href: '/contacts', label: 'Contacts' },
  { href: '/workflows', label: 'Workflows' },
  { href: '/settings', label: 'Settings' },
];

const ROUTES: [string, (params: Record<string, string>) => ReactNode][] = [
  ['/campaigns', () => <CampaignsPage />],
  ['/campaigns/new', () => <CampaignEditorPage />],
  // No key: a new draft that saves itself moves to its edit URL and keeps its state.
  ['/campaigns/:id/edit', ({ id }) => <CampaignEditorPage id={id} />],
  ['/campaigns/:id', ({ id }) => <CampaignResultsPage key={id} id={id as string} />],
  ['/contacts', () => <ContactsPage />],
  ['/contacts/:id', ({ id }) => <ContactPage key={id} id={id as string} />],
  ['/workflows', () => <WorkflowsPage />],
  ['/workflows/new', () => <WorkflowNewPage />],
  ['/workflows/:id', ({ id }) => <WorkflowPage key={id} id={id as string} />],
  ['/settings', () => <SettingsPage />],
];

function route(path: string): ReactNode {
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return render(params);
  }
  return undefined;
}

export function Shell() {
  const { tenantId, settings, signOut } = useApp();
  const { path } = useLocation();
  const page = route(path);

  useEffect(() => {
    if (!page) navigate('/campaigns', { replace: true });
  }, [page]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <p className="brand">
            <span aria-hidden="true">✉</span> Marketing
          </p>
          <nav aria-label="Main">
            <ul>
              {NAV.map((item) => {
                const current = path === item.href || path.startsWith(`${item.href}/`);
                return (
                  <li key={item.href}>
                    <Link href={item.href} aria-current={current ? 'page' : undefined}>
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="account">
            <span className="tenant" title="Signed in as">
              {settings?.businessName || tenantId}
            </span>
            <button type="button" className="button button-quiet" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>{page}</Suspense>
      </main>
    </div>
  );
}
