/**
 * Hash routing: `#/equipment/<path>` survives a reload and needs no server-side fallback. Small on purpose.
 */
import { useEffect, useState } from 'react';

export interface Route {
  page: string;
  /** The rest of the path after the page, decoded. */
  param: string;
}

function parse(hash: string): Route {
  const path = decodeURIComponent(hash.replace(/^#\/?/, ''));
  const slash = path.indexOf('/');
  return slash === -1 ? { page: path || 'plant', param: '' } : { page: path.slice(0, slash), param: path.slice(slash + 1) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const changed = (): void => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function href(page: string, param?: string): string {
  return `#/${page}${param === undefined ? '' : `/${param.split('/').map(encodeURIComponent).join('/')}`}`;
}
