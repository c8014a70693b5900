/** Pieces the scan and baseline commands share: loading config + rules, parsing labels. */
import { ConfiguredRules, configWaivers, loadConfig, type LoadedConfig } from '../../engine/config';
import type { FindingFilter } from '../../engine/scan';
import { WaiverFilter } from '../../engine/waivers';

export interface RuleOptions {
  rules: string[];
  defaultRules: boolean;
  config?: string;
  maxFindings?: number;
}

export function loadRulesAndConfig(o: RuleOptions): { config: LoadedConfig; rules: ConfiguredRules; waivers: FindingFilter[] } {
  const config = loadConfig(o.config);
  const rules = ConfiguredRules.load(config, o.rules, o.defaultRules, o.maxFindings);
  const specs = configWaivers(config);
  return { config, rules, waivers: specs.length > 0 ? [new WaiverFilter(specs, new Date())] : [] };
}

export { parseLabelArgs } from '../args';
