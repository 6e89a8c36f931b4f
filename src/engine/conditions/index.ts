// Kyverno condition operators and any/all evaluation (preconditions, deny conditions).
export {
  checkCondition,
  conditionOperatorNames,
  deprecatedOperatorAlternatives,
  isDeprecatedOperator,
  isKnownOperator,
  operatorCheck,
  UnknownOperatorError,
} from './operators.js';
export { evaluateConditionBlock, evaluateConditions } from './evaluate.js';
export type { ConditionBlock, ConditionsOutcome, ResolveVariables, WithMessage } from './evaluate.js';
