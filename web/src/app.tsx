/**
 * The shell: who is logged in, the navigation, and the page the hash names. Every page talks only to the HTTP API.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Me } from './api.js';
import { LoginPage } from './pages/login.js';
import { PlantPage } from './pages/plant.js';
import { EquipmentPage } from './pages/equipment.js';
import { ConnectorsPage } from './pages/connectors.js';
import { EventsPage } from './pages/events.js';
import { DeadLettersPage } from './pages/dead-letters.js';
import { AuditPage } from './pages/audit.js';
import { CasesPage } from './pages/cases.js';
import { OeePage } from './pages/oee.js';
import { href, useRoute } from './router.js';

const NAV: Array<{ page: string; label: string }> = [
  { page: 'plant', label: 'Plant' },
  { page: 'cases', label: 'Cases' },
  { page: 'oee', label: 'OEE' },
  { page: 'events', label: 'Events' },
  { page: 'connectors', label: 'Connectors' },
  { page: 'deadletters', label: 'Dead letters' },
  { page: 'audit', label: 'Audit' },
];

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const route = useRoute();
  const loadMe = useCallback(() => {
    api
      .get<Me>('/api/v1/auth/me')
      .then(setMe)
      .catch((error: unknown) => setMe(error instanceof ApiError && error.status === 401 ? null : null));
  }, []);
  useEffect(loadMe, [loadMe]);

  if (me === undefined) return <div className="splash">Plantfabric</div>;
  if (me === null) return <LoginPage onLoggedIn={loadMe} />;

  const logout = async (): Promise<void> => {
    await api.post('/api/v1/auth/logout');
    setMe(null);
  };
  const roles = [...new Set(me.grants.map((grant) => grant.role))].join(', ');
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href={href('plant')}>Plantfabric</a>
        <nav>
          {NAV.map((item) => (
            <a key={item.page} href={href(item.page)} className={route.page === item.page || (item.page === 'plant' && route.page === 'equipment') ? 'active' : ''}>
              {item.label}
            </a>
          ))}
        </nav>
        <span className="who" title={roles}>
          {me.name} <small>({roles})</small>
          <button className="link" onClick={() => void logout()}>Log out</button>
        </span>
      </header>
      <main>{page(route.page, route.param)}</main>
    </div>
  );
}

function page(name: string, param: string) {
  switch (name) {
    case 'equipment':
      return <EquipmentPage path={param} />;
    case 'cases':
      return <CasesPage caseId={param} />;
    case 'oee':
      return <OeePage />;
    case 'events':
      return <EventsPage />;
    case 'connectors':
      return <ConnectorsPage />;
    case 'deadletters':
      return <DeadLettersPage />;
    case 'audit':
      return <AuditPage />;
    default:
      return <PlantPage />;
  }
}
