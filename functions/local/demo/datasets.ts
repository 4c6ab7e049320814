import type { DatasetMetadata } from '../../../shared/schemas/dataset';

/** A demo dataset: full metadata, its data file as CSV and a small sample cut from it. */
export interface DemoDataset {
  readonly provider: 'northwind' | 'helios';
  readonly metadata: DatasetMetadata;
  readonly fileName: string;
  readonly csv: string;
}

const DISTRICTS = ['Centro', 'Norte', 'Sur', 'Este', 'Oeste', 'Puerto', 'Aeropuerto', 'Universidad'];

/** A small deterministic pseudo-random sequence, so the demo files are the same on every machine. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function csv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

function odMatrix(): string {
  const next = sequence(7);
  const rows = DISTRICTS.flatMap((from) =>
    DISTRICTS.filter((to) => to !== from).map((to) => ['2025-10', from, to, Math.round(200 + next() * 4800), (8 + next() * 40).toFixed(1)]),
  );
  return csv(['month', 'origin_district', 'destination_district', 'trips', 'median_minutes'], rows);
}

function ridership(): string {
  const next = sequence(11);
  const rows = Array.from({ length: 40 }, (_, i) => [
    `S${String(i + 1).padStart(3, '0')}`,
    DISTRICTS[i % DISTRICTS.length]!,
    '2025-10',
    Math.round(1000 + next() * 20000),
    Math.round(800 + next() * 18000),
  ]);
  return csv(['stop_id', 'district', 'month', 'boardings', 'alightings'], rows);
}

function population(): string {
  const next = sequence(13);
  const rows = DISTRICTS.flatMap((district) =>
    ['00-06', '06-12', '12-18', '18-24'].map((slot) => [district, '2025-10-15', slot, Math.round(5000 + next() * 60000)]),
  );
  return csv(['district', 'date', 'time_slot', 'estimated_present_population'], rows);
}

function coverage(): string {
  const next = sequence(17);
  const rows = DISTRICTS.map((district) => [
    district,
    (70 + next() * 30).toFixed(1),
    (40 + next() * 60).toFixed(1),
    Math.round(5 + next() * 95),
  ]);
  return csv(['district', 'pct_4g_coverage', 'pct_5g_coverage', 'median_download_mbps'], rows);
}

const common = {
  licence: 'Accord Common Data Agreement v1: use limited to the approved purpose and period',
  updateFrequency: 'monthly' as const,
  formats: ['CSV'],
};

export const DEMO_DATASETS: DemoDataset[] = [
  {
    provider: 'northwind',
    fileName: 'od-matrix-2025-10.csv',
    csv: odMatrix(),
    metadata: {
      ...common,
      title: 'Urban trip origin-destination matrix',
      description: 'Monthly counts of ride-hailing and micro-mobility trips between city districts, with median trip duration.',
      themes: ['mobility', 'infrastructure'],
      keywords: ['trips', 'origin-destination', 'commuting'],
      contact: { name: 'Northwind data desk', email: 'data@northwind.example' },
      personalData: { contains: false },
      temporalCoverage: { start: '2023-01-01' },
      spatialCoverage: 'Metropolitan area, 8 districts',
      provenance: 'Aggregated from trip logs of the Northwind Mobility app; trips are counted by district pair per month.',
      qualityStatement: 'Pairs with fewer than 50 trips in a month are suppressed; durations are rounded to 0.1 minute.',
      dataDictionary: [
        { field: 'month', type: 'string (YYYY-MM)', description: 'Calendar month of the trips' },
        { field: 'origin_district', type: 'string', description: 'District where trips started' },
        { field: 'destination_district', type: 'string', description: 'District where trips ended' },
        { field: 'trips', type: 'integer', description: 'Number of trips' },
        { field: 'median_minutes', type: 'decimal', description: 'Median trip duration in minutes' },
      ],
      maxGrantDays: 365,
      consentRequired: true,
    },
  },
  {
    provider: 'northwind',
    fileName: 'ridership-2025-10.csv',
    csv: ridership(),
    metadata: {
      ...common,
      title: 'Public transit ridership by stop',
      description: 'Monthly boardings and alightings at every stop of the bus network operated by Northwind.',
      themes: ['mobility'],
      keywords: ['transit', 'bus', 'ridership'],
      contact: { name: 'Northwind data desk', email: 'data@northwind.example' },
      personalData: { contains: false },
      temporalCoverage: { start: '2022-06-01' },
      spatialCoverage: 'Metropolitan bus network, 40 stops',
      provenance: 'Counted by automatic passenger counters on every bus, aggregated per stop and month.',
      qualityStatement: 'Counter accuracy is about 95%; stops with counter outages over 3 days are flagged upstream.',
      dataDictionary: [
        { field: 'stop_id', type: 'string', description: 'Stop identifier' },
        { field: 'district', type: 'string', description: 'District of the stop' },
        { field: 'month', type: 'string (YYYY-MM)', description: 'Calendar month' },
        { field: 'boardings', type: 'integer', description: 'Passengers boarding' },
        { field: 'alightings', type: 'integer', description: 'Passengers alighting' },
      ],
      maxGrantDays: 730,
      consentRequired: false,
    },
  },
  {
    provider: 'helios',
    fileName: 'population-2025-10-15.csv',
    csv: population(),
    metadata: {
      ...common,
      title: 'Mobile network present population estimates',
      description: 'Estimated number of people present in each district by time of day, derived from mobile network events.',
      themes: ['population', 'telecommunications'],
      keywords: ['population', 'mobile', 'density'],
      contact: { name: 'Helios Telecom open data office', email: 'data@helios.example' },
      personalData: {
        contains: true,
        description: 'Derived from subscriber network events; released only as district aggregates with k-anonymity of 50.',
      },
      temporalCoverage: { start: '2024-01-01' },
      spatialCoverage: 'National, published here for 8 districts of the capital',
      provenance: 'Network events are pseudonymised at source, counted per district and time slot, and scaled to census totals.',
      qualityStatement: 'Validated against the 2020 census within 8% at district level; night slots are the most reliable.',
      dataDictionary: [
        { field: 'district', type: 'string', description: 'District' },
        { field: 'date', type: 'date', description: 'Day of the estimate' },
        { field: 'time_slot', type: 'string', description: 'Six-hour slot of the day' },
        { field: 'estimated_present_population', type: 'integer', description: 'People estimated present' },
      ],
      maxGrantDays: 180,
      consentRequired: true,
    },
  },
  {
    provider: 'helios',
    fileName: 'coverage-2025-q3.csv',
    csv: coverage(),
    metadata: {
      ...common,
      updateFrequency: 'quarterly',
      title: 'Connectivity coverage by district',
      description: 'Share of each district covered by 4G and 5G service and the median download speed measured.',
      themes: ['telecommunications', 'infrastructure'],
      keywords: ['coverage', '4g', '5g', 'broadband'],
      contact: { name: 'Helios Telecom open data office', email: 'data@helios.example' },
      personalData: { contains: false },
      temporalCoverage: { start: '2025-07-01', end: '2025-09-30' },
      spatialCoverage: 'Capital city, 8 districts',
      provenance: 'Drive tests and network planning models combined; speeds from on-device measurements.',
      qualityStatement: 'Coverage modelled at 100 m resolution and aggregated; speeds are medians of at least 1,000 tests.',
      dataDictionary: [
        { field: 'district', type: 'string', description: 'District' },
        { field: 'pct_4g_coverage', type: 'decimal', description: 'Share of area with 4G service, percent' },
        { field: 'pct_5g_coverage', type: 'decimal', description: 'Share of area with 5G service, percent' },
        { field: 'median_download_mbps', type: 'integer', description: 'Median measured download speed' },
      ],
      maxGrantDays: 365,
      consentRequired: false,
    },
  },
];

/** The first rows of a CSV: what a sample file holds. */
export const sampleOf = (data: string, rows = 5): string => data.split('\n').slice(0, rows + 1).join('\n') + '\n';
