// Kyverno's CLI test format (cli.kyverno.io/v1alpha1 Test, Values, UserInfo), as written in
// kyverno-test.yaml files. Paths inside are relative to the test file's folder.
import type { JsonObject, JsonValue } from './json.js';

export type ExpectedResult = 'pass' | 'fail' | 'skip' | 'warn' | 'error';

export interface TestResultSpec {
  policy: string;
  rule?: string;
  kind?: string;
  resources?: string[];
  resourceSpecs?: {
    group?: string;
    version?: string;
    kind?: string;
    namespace?: string;
    name?: string;
    subresource?: string;
  }[];
  result: ExpectedResult;
  generatedResource?: string;
  generatedResources?: string[];
  cloneSourceResource?: string;
  patchedResources?: string;
  operation?: 'CREATE' | 'UPDATE' | 'DELETE';
  failOnMissingResources?: boolean;
  isValidatingPolicy?: boolean;
  isMutatingPolicy?: boolean;
  isGeneratingPolicy?: boolean;
  isImageValidatingPolicy?: boolean;
  isDeletingPolicy?: boolean;
  isValidatingAdmissionPolicy?: boolean;
  isMutatingAdmissionPolicy?: boolean;
}

export interface ValuesSpec {
  globalValues?: Record<string, JsonValue>;
  policies?: {
    name: string;
    resources?: { name: string; values?: Record<string, JsonValue> }[];
    rules?: {
      name: string;
      values?: Record<string, JsonValue>;
      foreachValues?: Record<string, JsonValue[]>;
    }[];
  }[];
  namespaceSelector?: { name: string; labels?: Record<string, string> }[];
  namespaces?: JsonObject[];
  subresources?: JsonObject[];
}

export interface UserInfoSpec {
  roles?: string[];
  clusterRoles?: string[];
  userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
}

export interface TestSpec {
  name: string;
  policies: string[];
  resources: string[];
  targetResources?: string[];
  exceptions?: string[];
  variables?: string;
  values?: ValuesSpec;
  userinfo?: string;
  clusterResources?: string[];
  apiCallResponses?: {
    url?: string;
    urlPath?: string;
    method?: string;
    response: { statusCode?: number; body?: JsonValue };
  }[];
  results: TestResultSpec[];
}
