import { useId, useRef, useState } from 'react';
import type { DatasetFile, StartUploadResponse } from '../../../shared/schemas/dataset';
import { newIdempotencyKey } from '../api/client';
import { api } from '../api/endpoints';
import { uploadRequestFor } from '../lib/dataset-form';
import { formatBytes } from '../lib/format';
import { PartFailedError, storedUploadText, uploadParts, xhrPut, type CompletedPart, type PutFn } from '../lib/upload';

type Status = 'waiting' | 'starting' | 'uploading' | 'completing' | 'done' | 'failed' | 'invalid';

interface UploadItem {
  readonly key: string;
  readonly file: File;
  readonly sample: boolean;
  readonly status: Status;
  readonly loaded: number;
  readonly message: string | null;
  readonly plan: StartUploadResponse | null;
  readonly completed: readonly CompletedPart[];
  /** The bytes are in storage; only the completion call is left. */
  readonly stored: boolean;
  /** Reused on a retry, so that a start that did succeed is not started twice. */
  readonly idempotencyKey: string;
}

const STATUS_TEXT: Record<Status, string> = {
  waiting: 'Waiting',
  starting: 'Preparing',
  uploading: 'Uploading',
  completing: 'Checking the stored file',
  done: 'Uploaded; verifying',
  failed: 'Failed',
  invalid: 'Not accepted',
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Uploads chosen files into a dataset's draft version, straight to storage through presigned
 * URLs, with a progress bar per file. A multipart upload retries each failed part up to three
 * times; if a part still fails, Retry resumes from the parts that made it. Once stored, a file is
 * verified on the server; `files` (the draft version's, as last read) tells each row how that went.
 */
export function FileUploader({
  datasetId,
  version,
  onUploaded,
  files = [],
  put = xhrPut,
}: {
  datasetId: string;
  version: number;
  onUploaded: () => void;
  files?: readonly DatasetFile[];
  put?: PutFn;
}) {
  const inputId = useId();
  const sampleId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [sample, setSample] = useState(false);
  const [items, setItems] = useState<UploadItem[]>([]);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const patch = (key: string, change: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
    itemsRef.current = itemsRef.current.map((item) => (item.key === key ? { ...item, ...change } : item));
  };

  const run = async (key: string) => {
    const item = itemsRef.current.find((i) => i.key === key);
    if (!item) return;
    const request = uploadRequestFor(item.file, item.sample);
    if (!request.ok) return patch(key, { status: 'invalid', message: request.message });
    try {
      let plan = item.plan;
      if (!plan) {
        patch(key, { status: 'starting', message: null });
        plan = await api.startUpload(datasetId, request.value, item.idempotencyKey);
        patch(key, { plan });
      }
      let parts: CompletedPart[] | undefined;
      if (!item.stored) {
        patch(key, { status: 'uploading', message: null });
        const onProgress = (loaded: number) => patch(key, { loaded });
        if (plan.method === 'single') {
          if (!plan.url) throw new Error('The server gave no upload URL');
          await put(plan.url, item.file, onProgress);
        } else {
          parts = await uploadParts({ file: item.file, parts: plan.parts, partSize: plan.partSize ?? item.file.size, put, completed: item.completed, onProgress });
          patch(key, { completed: parts });
        }
        patch(key, { stored: true, loaded: item.file.size });
      }
      patch(key, { status: 'completing' });
      const current = itemsRef.current.find((i) => i.key === key);
      await api.completeUpload(datasetId, plan.fileId, plan.method === 'multipart' ? { parts: [...(parts ?? current?.completed ?? [])] } : {});
      patch(key, { status: 'done', message: null });
      onUploaded();
    } catch (error) {
      if (error instanceof PartFailedError) patch(key, { status: 'failed', completed: error.completed, message: error.message });
      else patch(key, { status: 'failed', message: messageOf(error) });
    }
  };

  const start = async () => {
    const files = Array.from(input.current?.files ?? []);
    if (files.length === 0) return;
    const added: UploadItem[] = files.map((file) => ({
      key: newIdempotencyKey(),
      file,
      sample,
      status: 'waiting',
      loaded: 0,
      message: null,
      plan: null,
      completed: [],
      stored: false,
      idempotencyKey: newIdempotencyKey(),
    }));
    itemsRef.current = [...itemsRef.current, ...added];
    setItems(itemsRef.current);
    if (input.current) input.current.value = '';
    for (const item of added) await run(item.key);
  };

  return (
    <div className="uploader">
      <div className="field">
        <label htmlFor={inputId}>Files for version {version}</label>
        <p className="hint" id={`${inputId}-hint`}>
          Up to 5 GB each; files above 64 MB go up in parts. Names: letters, digits, dot, dash, underscore or space.
        </p>
        <input id={inputId} ref={input} type="file" multiple aria-describedby={`${inputId}-hint`} />
      </div>
      <div className="field checkbox">
        <input id={sampleId} type="checkbox" checked={sample} onChange={(e) => setSample(e.target.checked)} />
        <label htmlFor={sampleId}>These are sample files (any organisation that signed the agreement may download them)</label>
      </div>
      <button type="button" onClick={() => void start()}>
        Upload
      </button>
      {items.length ? (
        <ul className="upload-list" aria-label="Uploads">
          {items.map((item) => {
            const percent = item.file.size ? Math.round((item.loaded / item.file.size) * 100) : 100;
            const onServer = files.find((f) => f.id === item.plan?.fileId);
            return (
              <li key={item.key} className={`upload upload-${item.status}`}>
                <div className="upload-head">
                  <span className="upload-name">{item.file.name}</span>
                  <span className="muted">
                    {formatBytes(item.file.size)}
                    {item.sample ? ' · sample' : ''}
                    {item.plan?.method === 'multipart' ? ` · ${item.plan.parts.length} parts` : ''}
                  </span>
                </div>
                <progress max={100} value={item.status === 'done' ? 100 : percent} aria-label={`Upload of ${item.file.name}`}>
                  {percent}%
                </progress>
                <p className="upload-status" role={item.status === 'failed' || item.status === 'invalid' ? 'alert' : undefined}>
                  {item.status === 'done' ? storedUploadText(onServer?.status, onServer?.rejectedReason) : STATUS_TEXT[item.status]}
                  {item.status === 'uploading' ? ` ${percent}%` : ''}
                  {item.message ? `: ${item.message}` : ''}
                  {item.status === 'failed' && item.completed.length && item.plan ? ` (${item.completed.length} of ${item.plan.parts.length} parts are stored)` : ''}
                </p>
                {item.status === 'failed' ? (
                  <button type="button" className="secondary small" onClick={() => void run(item.key)}>
                    Retry {item.file.name}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
