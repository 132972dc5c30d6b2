// Where the dashboard is: the page and the global filters live in the URL (path and query string when
// served, the hash when opened from disk), so a view can be bookmarked, shared and reloaded as it was.
import { useSyncExternalStore } from 'react';
import { FILTER_KEYS, type Filters } from '../../src/server/api.ts';

export interface Place {
  page: string;
  filters: Filters;
}

const CHANGE = 'claimlens:navigate';

/** Opened from disk (the offline report): no server to answer /cost, so the page goes in the hash. */
export const FROM_DISK = window.location.protocol === 'file:';

function parse(href: string): Place {
  const url = new URL(href);
  let path: string;
  let search: string;
  if (FROM_DISK) {
    const [p = '', s = ''] = url.hash.replace(/^#\/?/, '').split('?');
    path = p;
    search = s;
  } else {
    path = url.pathname.replace(/^\/+|\/+$/g, '');
    search = url.search;
  }
  const q = new URLSearchParams(search);
  const filters: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = q.get(k);
    if (v) filters[k] = v;
  }
  return { page: path || 'overview', filters };
}

/** The URL of a place, in the form this copy of the app uses. */
export function href(place: Place): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = place.filters[k];
    if (v) q.set(k, v);
  }
  const s = q.toString();
  const path = place.page === 'overview' ? '' : place.page;
  if (FROM_DISK) return `#/${path}${s ? `?${s}` : ''}`;
  return `/${path}${s ? `?${s}` : ''}`;
}

export function navigate(place: Place, replace = false): void {
  const target = href(place);
  if (replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  window.dispatchEvent(new Event(CHANGE));
}

function subscribe(notify: () => void): () => void {
  window.addEventListener('popstate', notify);
  window.addEventListener('hashchange', notify);
  window.addEventListener(CHANGE, notify);
  return () => {
    window.removeEventListener('popstate', notify);
    window.removeEventListener('hashchange', notify);
    window.removeEventListener(CHANGE, notify);
  };
}

let lastHref = '';
let lastPlace: Place = { page: 'overview', filters: {} };

function current(): Place {
  if (window.location.href !== lastHref) {
    lastHref = window.location.href;
    lastPlace = parse(lastHref);
  }
  return lastPlace;
}

export function usePlace(): Place {
  return useSyncExternalStore(subscribe, current);
}
