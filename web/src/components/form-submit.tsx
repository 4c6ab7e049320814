import { useState, type FormEvent, type ReactNode } from 'react';
import { errorsFromApi, type FieldErrors } from '../lib/forms';

type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/**
 * Sending a form checked on the client: the checker's messages, or the request with the button
 * busy, and the API's refusal placed beside the fields it names.
 */
export function useFormSubmit() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async <T,>(checked: Checked<T>, send: (value: T) => Promise<void>, fields: readonly string[]): Promise<void> => {
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    try {
      await send(checked.value);
    } catch (error) {
      setErrors(errorsFromApi(error, fields));
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, submit };
}

/** A form the browser does not check (the schemas do) nor send: `onSubmit` does. */
export function CheckedForm({ labelledBy, className, onSubmit, children }: { labelledBy: string; className?: string; onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      className={className}
      aria-labelledby={labelledBy}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
