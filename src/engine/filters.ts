/**
 * The filters of a scan (FindingFilter: waivers, baseline), made the same way, in the same order, on this thread
 * and on worker threads (ScanOptions.filtersFrom): a worker asks its own copy as it finds and hands back what it
 * counted (FindingFilter.usage), which is added to this thread's.
 */
import { configWaivers, type LoadedConfig } from './config';
import { WaiverFilter } from './waivers';
import { BaselineFilter, loadBaseline } from './baseline';
import type { FindingFilter } from './scan';

/** The config's waivers (as of `now`: what has expired), then the baseline. */
export function scanFilters(config: LoadedConfig, baseline: BaselineFilter | undefined, now: Date): FindingFilter[] {
  const specs = configWaivers(config);
  return [...(specs.length > 0 ? [new WaiverFilter(specs, now)] : []), ...(baseline !== undefined ? [baseline] : [])];
}

/** The baseline file's filter (--baseline), if one is named. */
export function baselineFilter(file: string | undefined): BaselineFilter | undefined {
  return file === undefined ? undefined : new BaselineFilter(file, loadBaseline(file));
}
