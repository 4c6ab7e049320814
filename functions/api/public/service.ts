import { NotFoundError } from '../../../shared/errors';
import { grantEndsAt } from '../../../shared/grant-state';
import type { Clock, DatasetRepository, PublicRegister, RegisterEntry, StoredDataset } from '../../../shared/ports';
import type { Page } from '../../../shared/schemas/common';
import type { CatalogQuery } from '../../../shared/schemas/dataset';
import type { PublicDataset, PublicProject } from '../../../shared/schemas/public';

export interface PublicDeps {
  readonly datasets: DatasetRepository;
  readonly register: PublicRegister;
  readonly clock: Clock;
  /** The configured public address links are built from (`PUBLIC_BASE_URL`); '' for root-relative links. */
  readonly publicBaseUrl: string;
}

/**
 * A listed project as the public sees it: closed once every grant is closed with an outcome
 * report; ended once its period is over or every grant was revoked or closed; active otherwise.
 */
function publicProject(entry: RegisterEntry, now: Date): PublicProject {
  const outcomes = Object.values(entry.outcomes).sort((a, b) => a.closedAt.localeCompare(b.closedAt));
  const stopped = new Set([...Object.keys(entry.outcomes), ...(entry.revokedGrantIds ?? [])]);
  const state =
    outcomes.length >= entry.grantCount ? 'closed' : stopped.size >= entry.grantCount || now >= grantEndsAt(entry.endDate) ? 'ended' : 'active';
  return {
    id: entry.proposalId,
    title: entry.title,
    organisation: entry.organisation,
    purpose: entry.purpose,
    datasets: entry.datasets,
    startDate: entry.startDate,
    endDate: entry.endDate,
    approvedAt: entry.approvedAt,
    state,
    outcomes,
  };
}

/** The transparency register: approved projects that agreed to be listed, newest first. One Query. */
export async function publicProjects(deps: PublicDeps, query: { limit: number; cursor?: string }): Promise<Page<PublicProject>> {
  const page = await deps.register.list(query);
  const now = deps.clock.now();
  return { items: page.items.map((e) => publicProject(e, now)), nextCursor: page.nextCursor };
}

/** What anyone may know about a published dataset: its metadata, never its files. */
const publicView = (d: StoredDataset): PublicDataset => ({
  id: d.id,
  providerName: d.providerName,
  publishedVersion: d.publishedVersion,
  publishedAt: d.publishedAt,
  updatedAt: d.updatedAt,
  metadata: d.metadata,
});

export async function publicCatalog(deps: PublicDeps, query: CatalogQuery): Promise<Page<PublicDataset>> {
  const page = await deps.datasets.listCatalog({ ...query, scope: 'catalog' });
  return { items: page.items.map(publicView), nextCursor: page.nextCursor };
}

export async function publicDataset(deps: PublicDeps, datasetId: string): Promise<PublicDataset> {
  const dataset = await deps.datasets.get(datasetId);
  if (!dataset || dataset.state !== 'published') throw new NotFoundError('Dataset');
  return publicView(dataset);
}

/** The catalog as DCAT (JSON-LD), the vocabulary open-data portals harvest; links start with `baseUrl`, from configuration. */
export function toDcat(page: Page<PublicDataset>, baseUrl: string) {
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      vcard: 'http://www.w3.org/2006/vcard/ns#',
    },
    '@type': 'dcat:Catalog',
    'dct:title': 'Accord consortium data catalog',
    ...(page.nextCursor ? { 'accord:nextPage': `${baseUrl}/v1/public/catalog.jsonld?cursor=${page.nextCursor}` } : {}),
    'dcat:dataset': page.items.map((d) => ({
      '@id': `${baseUrl}/v1/public/datasets/${d.id}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': d.id,
      'dct:title': d.metadata.title,
      'dct:description': d.metadata.description,
      'dcat:theme': d.metadata.themes,
      'dcat:keyword': d.metadata.keywords,
      'dct:publisher': { '@type': 'foaf:Organization', 'foaf:name': d.providerName },
      'dcat:contactPoint': { '@type': 'vcard:Kind', 'vcard:fn': d.metadata.contact.name, 'vcard:hasEmail': `mailto:${d.metadata.contact.email}` },
      'dct:license': d.metadata.licence,
      'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': d.metadata.temporalCoverage.start, 'dcat:endDate': d.metadata.temporalCoverage.end },
      'dct:spatial': d.metadata.spatialCoverage,
      'dct:accrualPeriodicity': d.metadata.updateFrequency,
      'dct:provenance': d.metadata.provenance,
      'dct:modified': d.updatedAt,
      'dcat:distribution': d.metadata.formats.map((format) => ({ '@type': 'dcat:Distribution', 'dct:format': format })),
    })),
  };
}
