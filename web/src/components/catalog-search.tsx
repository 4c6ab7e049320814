import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { DATASET_THEMES } from '../../../shared/schemas/dataset';
import { PublicCatalogQuerySchema } from '../../../shared/schemas/public';
import { THEME_LABELS } from '../lib/dataset-form';
import { errorsFromIssues, type FieldErrors } from '../lib/forms';
import { SelectField, TextField } from './fields';

type Theme = (typeof DATASET_THEMES)[number];

export interface CatalogFilters {
  readonly q?: string;
  readonly theme?: Theme;
}

/** Search text and theme, kept in the address (`?q=&theme=`) so a search can be shared and reloaded. */
export function useCatalogFilters(): [CatalogFilters, (filters: CatalogFilters) => void] {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? undefined;
  const theme = (DATASET_THEMES as readonly string[]).includes(params.get('theme') ?? '') ? (params.get('theme') as Theme) : undefined;
  return [
    { q, theme },
    (next) => {
      const search = new URLSearchParams();
      if (next.q) search.set('q', next.q);
      if (next.theme) search.set('theme', next.theme);
      setParams(search);
    },
  ];
}

export function CatalogSearchForm({ filters, onSearch }: { filters: CatalogFilters; onSearch: (filters: CatalogFilters) => void }) {
  const [q, setQ] = useState(filters.q ?? '');
  const [theme, setTheme] = useState<Theme | ''>(filters.theme ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    setQ(filters.q ?? '');
    setTheme(filters.theme ?? '');
  }, [filters.q, filters.theme]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = { q: q.trim() || undefined, theme: theme || undefined };
    const parsed = PublicCatalogQuerySchema.safeParse(query);
    if (!parsed.success) return setErrors(errorsFromIssues(parsed.error.issues, ['q', 'theme']));
    setErrors({});
    onSearch(query);
  };

  return (
    <form className="search-form" role="search" onSubmit={submit} noValidate>
      <TextField name="q" label="Search" type="search" value={q} onChange={setQ} error={errors.q} placeholder="Title, description or keyword" />
      <SelectField
        name="theme"
        label="Theme"
        value={theme}
        onChange={setTheme}
        error={errors.theme}
        placeholder="All themes"
        options={DATASET_THEMES.map((value) => ({ value, label: THEME_LABELS[value] }))}
      />
      <button type="submit">Search</button>
    </form>
  );
}

/** Cursor paging: the API hands out the next page's cursor; we remember the ones behind us for "Previous". */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({ key: resetKey, stack: [undefined] });
  let stack = state.stack;
  if (state.key !== resetKey) {
    // New filters start again at page one, in this very render (no fetch with a stale cursor).
    stack = [undefined];
    setState({ key: resetKey, stack });
  }
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: (cursor: string) => setState((s) => ({ ...s, stack: [...s.stack, cursor] })),
    previous: () => setState((s) => ({ ...s, stack: s.stack.length > 1 ? s.stack.slice(0, -1) : s.stack })),
  };
}

/** Previous and next page of a cursor-paged list: `paging` from useCursorPages, `nextCursor` from the page the API sent. */
export function Pager({ paging, nextCursor }: { paging: ReturnType<typeof useCursorPages>; nextCursor: string | null }) {
  const { page, previous: onPrevious } = paging;
  const hasNext = nextCursor !== null;
  const onNext = () => nextCursor && paging.next(nextCursor);
  if (page === 1 && !hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" onClick={onPrevious} disabled={page === 1}>
        Previous page
      </button>
      <span aria-live="polite">Page {page}</span>
      <button type="button" className="secondary" onClick={onNext} disabled={!hasNext}>
        Next page
      </button>
    </nav>
  );
}
