import { acceptedUnits } from '../src/health/units.js';
import { METRIC_CATEGORIES, METRIC_TYPES, type MetricType } from '../src/health/metric-types.js';
import { paginateArray } from '../src/lib/pagination.js';
import { builder } from './builder.js';
import { AggregationEnum } from './health.js';
import { pageArgs, pageType } from './pagination.js';

const MetricCategoryEnum = builder.enumType('MetricCategory', { values: METRIC_CATEGORIES });
const MetricKindEnum = builder.enumType('MetricKind', {
  values: {
    sample: { description: 'An instant measurement (heart rate, weight).' },
    total: { description: 'An amount over an interval (steps).' },
  },
});

const MetricTypeType = builder.objectRef<MetricType>('MetricType').implement({
  description: 'A kind of health measurement: its canonical unit, how it aggregates and which values are possible.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    category: t.field({ type: MetricCategoryEnum, resolve: (metric) => metric.category }),
    unit: t.exposeString('unit', { description: 'Canonical unit: every stored value is in it.' }),
    acceptedUnits: t.stringList({ description: 'Units ingestion converts from.', resolve: (metric) => acceptedUnits(metric) }),
    kind: t.field({ type: MetricKindEnum, resolve: (metric) => metric.kind }),
    aggregation: t.field({
      type: AggregationEnum,
      description: 'Default aggregation of timeseries and daily summaries.',
      resolve: (metric) => metric.aggregation,
    }),
    minValue: t.float({ description: 'Smallest possible value (canonical unit).', resolve: (metric) => metric.range.min }),
    maxValue: t.float({ description: 'Largest possible value (canonical unit).', resolve: (metric) => metric.range.max }),
  }),
});

const MetricTypePage = pageType('MetricTypePage', MetricTypeType, 'A page of metric types sorted by id.');
const SORTED = [...METRIC_TYPES].sort((a, b) => a.id.localeCompare(b.id));

builder.queryFields((t) => ({
  metricTypes: t.field({
    type: MetricTypePage,
    description: 'The metric-type registry: every metric VitaSync stores, with units and ranges.',
    authScopes: { read: true },
    args: { ...pageArgs },
    resolve: (_root, args) => paginateArray(args, 'metric-types', SORTED, (metric) => metric.id),
  }),
}));
