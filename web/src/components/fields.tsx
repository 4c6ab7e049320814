import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { FORM, fieldId, type FieldErrors } from '../lib/forms';

/**
 * Labelled form controls. Every control has a visible label; a message from validation or the
 * API sits under it, is tied to it by aria-describedby, and marks it aria-invalid.
 */

interface CommonProps {
  /** The field's path (`contact.email`): its id and where its messages are looked up. */
  readonly name: string;
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  readonly required?: boolean;
}

const describedBy = (id: string, hint: boolean, error: boolean): string | undefined =>
  [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

/** A control's hint and error, with the ids its aria-describedby names. */
export function Messages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
    </>
  );
}

const Required = ({ required }: { required?: boolean }) =>
  required ? (
    <span className="required" aria-hidden="true">
      {' '}
      *
    </span>
  ) : null;

type TextFieldProps = CommonProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id' | 'onChange' | 'value'> & {
    readonly value: string;
    readonly onChange: (value: string) => void;
  };

export function TextField({ name, label, hint, error, required, value, onChange, className, ...rest }: TextFieldProps) {
  const id = fieldId(name);
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>
        {label}
        <Required required={required} />
      </label>
      <Messages id={id} hint={hint} error={error} />
      <input
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}
        aria-required={required || undefined}
        {...rest}
      />
    </div>
  );
}

type TextAreaProps = CommonProps &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id' | 'onChange' | 'value'> & {
    readonly value: string;
    readonly onChange: (value: string) => void;
  };

export function TextArea({ name, label, hint, error, required, value, onChange, rows = 4, ...rest }: TextAreaProps) {
  const id = fieldId(name);
  return (
    <div className={`field ${error ? 'has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        <Required required={required} />
      </label>
      <Messages id={id} hint={hint} error={error} />
      <textarea
        id={id}
        name={name}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}
        aria-required={required || undefined}
        {...rest}
      />
    </div>
  );
}

export function SelectField<T extends string>({
  name,
  label,
  hint,
  error,
  required,
  value,
  onChange,
  options,
  placeholder,
}: CommonProps & {
  readonly value: T | '';
  readonly onChange: (value: T | '') => void;
  readonly options: readonly { value: T; label: string }[];
  readonly placeholder?: string;
}) {
  const id = fieldId(name);
  return (
    <div className={`field ${error ? 'has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        <Required required={required} />
      </label>
      <Messages id={id} hint={hint} error={error} />
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value as T | '')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}
        aria-required={required || undefined}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({
  name,
  label,
  hint,
  error,
  checked,
  onChange,
  disabled,
}: CommonProps & { readonly checked: boolean; readonly onChange: (checked: boolean) => void; readonly disabled?: boolean }) {
  const id = fieldId(name);
  return (
    <div className={`field checkbox ${error ? 'has-error' : ''}`}>
      <input
        type="checkbox"
        id={id}
        name={name}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        <Messages id={id} hint={hint} error={error} />
      </div>
    </div>
  );
}

/** A set of checkboxes in a fieldset; the legend is its label, the first box carries the field's id. */
export function CheckboxGroup<T extends string>({
  name,
  label,
  hint,
  error,
  required,
  options,
  values,
  onChange,
}: CommonProps & {
  readonly options: readonly { value: T; label: ReactNode }[];
  readonly values: readonly T[];
  readonly onChange: (values: T[]) => void;
}) {
  const id = fieldId(name);
  return (
    <fieldset className={`field group ${error ? 'has-error' : ''}`} aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}>
      <legend>
        {label}
        <Required required={required} />
      </legend>
      <Messages id={id} hint={hint} error={error} />
      <div className={`options ${options.length > 5 ? 'columns' : ''}`}>
        {options.map((option, i) => {
          const optionId = i === 0 ? id : `${id}-${option.value.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
          return (
            <div className="checkbox" key={option.value}>
              <input
                type="checkbox"
                id={optionId}
                name={name}
                value={option.value}
                checked={values.includes(option.value)}
                aria-invalid={error ? true : undefined}
                onChange={(e) => onChange(e.target.checked ? [...values, option.value] : values.filter((v) => v !== option.value))}
              />
              <label htmlFor={optionId}>{option.label}</label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export function RadioGroup<T extends string>({
  name,
  label,
  hint,
  error,
  required,
  options,
  value,
  onChange,
}: CommonProps & {
  readonly options: readonly { value: T; label: ReactNode; hint?: ReactNode }[];
  readonly value: T | '';
  readonly onChange: (value: T) => void;
}) {
  const id = fieldId(name);
  return (
    <fieldset className={`field group ${error ? 'has-error' : ''}`} aria-describedby={describedBy(id, Boolean(hint), Boolean(error))}>
      <legend>
        {label}
        <Required required={required} />
      </legend>
      <Messages id={id} hint={hint} error={error} />
      <div className="options">
        {options.map((option, i) => {
          const optionId = i === 0 ? id : `${id}-${option.value.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
          return (
            <div className="radio" key={option.value}>
              <input
                type="radio"
                id={optionId}
                name={name}
                value={option.value}
                checked={value === option.value}
                aria-invalid={error ? true : undefined}
                aria-describedby={option.hint ? `${optionId}-hint` : undefined}
                onChange={() => onChange(option.value)}
              />
              <div>
                <label htmlFor={optionId}>{option.label}</label>
                {option.hint ? (
                  <span className="option-hint" id={`${optionId}-hint`}>
                    {option.hint}
                  </span>
                ) : null}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/**
 * The list of what is wrong, at the top of a form: focused when it appears so keyboard and
 * screen-reader users hear it, each entry a link to its field.
 */
export function ErrorSummary({ errors, labels = {}, title = 'There is a problem' }: { errors: FieldErrors; labels?: Record<string, string>; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const entries = Object.entries(errors);
  const key = entries.map(([field, message]) => field + message).join('|');
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            {field === FORM ? (
              message
            ) : (
              <a
                href={`#${fieldId(field)}`}
                onClick={(event) => {
                  const target = document.getElementById(fieldId(field));
                  if (target) {
                    event.preventDefault();
                    target.focus();
                    target.scrollIntoView({ block: 'center' });
                  }
                }}
              >
                {labels[field] ? `${labels[field]}: ` : ''}
                {message}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
