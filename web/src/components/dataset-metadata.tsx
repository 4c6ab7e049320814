import type { DatasetMetadata } from '../../../shared/schemas/dataset';
import { FREQUENCY_LABELS, THEME_LABELS } from '../lib/dataset-form';
import { DateOnly, TableWrap } from './ui';

export const themeLabel = (theme: string): string => THEME_LABELS[theme as keyof typeof THEME_LABELS] ?? theme;

/** A dataset's metadata as a reader wants it: description, facts, data dictionary, quality, provenance. */
export function DatasetMetadataView({ metadata, headingLevel = 2 }: { metadata: DatasetMetadata; headingLevel?: 2 | 3 }) {
  const H = `h${headingLevel}` as 'h2';
  return (
    <>
      <p className="lead">{metadata.description}</p>
      <dl className="facts">
        <div>
          <dt>Themes</dt>
          <dd>{metadata.themes.map(themeLabel).join(', ')}</dd>
        </div>
        <div>
          <dt>Keywords</dt>
          <dd>{metadata.keywords.length ? metadata.keywords.join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>Formats</dt>
          <dd>{metadata.formats.join(', ')}</dd>
        </div>
        <div>
          <dt>Time covered</dt>
          <dd>
            <DateOnly iso={metadata.temporalCoverage.start} /> to{' '}
            {metadata.temporalCoverage.end ? <DateOnly iso={metadata.temporalCoverage.end} /> : 'ongoing'}
          </dd>
        </div>
        <div>
          <dt>Area covered</dt>
          <dd>{metadata.spatialCoverage}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{FREQUENCY_LABELS[metadata.updateFrequency]}</dd>
        </div>
        <div>
          <dt>Licence</dt>
          <dd>{metadata.licence}</dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>
            {metadata.contact.name} (<a href={`mailto:${metadata.contact.email}`}>{metadata.contact.email}</a>)
          </dd>
        </div>
        <div>
          <dt>Personal data</dt>
          <dd>{metadata.personalData.contains ? `Yes. ${metadata.personalData.description ?? ''}` : 'None'}</dd>
        </div>
        <div>
          <dt>Longest grant</dt>
          <dd>{metadata.maxGrantDays} days</dd>
        </div>
        <div>
          <dt>Provider consent</dt>
          <dd>{metadata.consentRequired ? 'Required for each proposal' : 'Not required'}</dd>
        </div>
      </dl>
      <H>Data dictionary</H>
      <TableWrap label="Data dictionary">
        <table>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {metadata.dataDictionary.map((row) => (
              <tr key={row.field}>
                <td>
                  <code>{row.field}</code>
                </td>
                <td>{row.type}</td>
                <td>{row.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <H>Quality statement</H>
      <p>{metadata.qualityStatement}</p>
      <H>Provenance</H>
      <p>{metadata.provenance}</p>
    </>
  );
}
