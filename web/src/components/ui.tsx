import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../api/client';
import { formatDate, formatDateTime, humanize } from '../lib/format';

/** A page: sets the document title and gives its heading focus on arrival (so a route change is announced). */
export function Page({ title, intro, actions, children, wide }: { title: string; intro?: ReactNode; actions?: ReactNode; children?: ReactNode; wide?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { pathname } = useLocation();
  useEffect(() => {
    document.title = `${title} · Accord`;
  }, [title]);
  useEffect(() => {
    // Only after a navigation inside the app: a first load keeps the browser's own focus.
    if (document.body.dataset.navigated === 'true') heading.current?.focus({ preventScroll: false });
  }, [pathname]);
  return (
    <div className={`page ${wide ? 'wide' : ''}`}>
      <div className="page-header">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {intro ? <div className="intro">{intro}</div> : null}
      {children}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

/** What went wrong, in the API's words, with a retry where retrying makes sense. */
export function ErrorState({ error, retry, title = 'This could not be loaded' }: { error: unknown; retry?: () => void; title?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="notice danger" role="alert">
      <p>
        <strong>{title}.</strong> {message}
        {code && code !== 'network_error' ? <span className="muted"> ({code})</span> : null}
      </p>
      {retry ? (
        <button type="button" className="secondary" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function Notice({ tone = 'info', children, role }: { tone?: 'info' | 'success' | 'warning' | 'danger'; children: ReactNode; role?: 'status' | 'alert' }) {
  return (
    <div className={`notice ${tone}`} role={role}>
      {children}
    </div>
  );
}

export function DateTime({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

export function DateOnly({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatDate(iso)}</time>;
}

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span className={`badge badge-${value.replace(/[^a-z_-]/gi, '')}`}>{label ?? humanize(value)}</span>;
}

/** A table that scrolls sideways on a narrow screen; the scroll region is focusable and named, for keyboards. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p className="back">
      <Link to={to}>← {children}</Link>
    </p>
  );
}

export type AsyncState<T> =
  | { readonly status: 'loading'; readonly data?: undefined; readonly error?: undefined }
  | { readonly status: 'ready'; readonly data: T; readonly error?: undefined }
  | { readonly status: 'error'; readonly data?: undefined; readonly error: unknown };

/**
 * Loads data for a page. `reload` runs it again and keeps showing the data meanwhile; new `deps`
 * (another id, another page of results) start from a loading state. A stale answer is dropped.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> & { reload: () => void; set: (data: T) => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const key = JSON.stringify(deps);
  const lastKey = useRef(key);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    if (lastKey.current !== key) {
      lastKey.current = key;
      setState({ status: 'loading' });
    }
    loadRef.current().then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { ...state, reload, set };
}

/** Renders loading and error states, and the children with the data once it is there. */
export function Async<T>({ state, children, label }: { state: AsyncState<T> & { reload: () => void }; children: (data: T) => ReactNode; label?: string }) {
  if (state.status === 'loading') return <Loading label={label} />;
  if (state.status === 'error') return <ErrorState error={state.error} retry={state.reload} />;
  return <>{children(state.data)}</>;
}
