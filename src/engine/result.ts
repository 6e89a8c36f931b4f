// Rule outcomes as data. The same values Kyverno reports: pass | fail | warn | error | skip.
export type RuleStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

export type RuleType = 'generate' | 'validate' | 'mutate' | 'verifyImages';

export interface RuleResult {
  policy: string;
  rule: string;
  type: RuleType;
  status: RuleStatus;
  message: string;
}
