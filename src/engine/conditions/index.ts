// Kyverno condition operators and any/all evaluation (preconditions, deny conditions).
export {
  checkCondition,
  conditionOperatorNames,
  deprecatedOperatorAlternatives,
  isDeprecatedOperator,
  isKnownOperator,
  UnknownOperatorError,
} from './operators.js';
export { evaluateConditions } from './evaluate.js';
export type { ConditionsOutcome, ResolveVariables } from './evaluate.js';
