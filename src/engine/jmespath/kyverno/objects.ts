// lookup, items and object_from_lists: moving between objects, arrays and key/value lists.
import type { JsonObject, JsonValue } from '../../../api/json.js';
import type { FunctionSpec } from '../types.js';
import { compareCodePoints, setOwn } from '../values.js';
import { arg, functionError, ifaceToString, intNumber, spec, str } from './helpers.js';

const objectOrArray = arg('object', 'array');

export const objectFunctions: FunctionSpec[] = [
  spec('lookup', [objectOrArray, arg('string', 'number')], (a) => {
    const collection = a[0] ?? null;
    const key = a[1] ?? null;
    if (Array.isArray(collection)) {
      if (typeof key !== 'number') throw functionError('lookup', 'argument #2 is not of type Number');
      const index = intNumber(key);
      if (index === undefined)
        throw functionError('lookup', `argument #2: expected an integer number but got: ${key}`);
      return index < 0 || index >= collection.length ? null : (collection[index] as JsonValue);
    }
    if (typeof key !== 'string') throw functionError('lookup', 'argument #2 is not of type String');
    const obj = collection as JsonObject;
    return Object.hasOwn(obj, key) ? (obj[key] as JsonValue) : null;
  }),
  spec('items', [objectOrArray, str, str], (a) => {
    const input = a[0] ?? null;
    const keyName = a[1] as string;
    const valueName = a[2] as string;
    const item = (k: JsonValue, v: JsonValue): JsonObject => {
      const o: JsonObject = {};
      setOwn(o, keyName, k);
      setOwn(o, valueName, v);
      return o;
    };
    if (Array.isArray(input)) return input.map((v, i) => item(i, v));
    const obj = input as JsonObject;
    return Object.keys(obj)
      .sort(compareCodePoints)
      .map((k) => item(k, obj[k] as JsonValue));
  }),
  spec('object_from_lists', [arg('array'), arg('array')], (a) => {
    const keys = a[0] as JsonValue[];
    const values = a[1] as JsonValue[];
    const out: JsonObject = {};
    keys.forEach((k, i) => {
      const key = ifaceToString(k);
      if (key === undefined)
        throw functionError('object_from_lists', 'argument #1 is not of type StringArray');
      setOwn(out, key, i < values.length ? (values[i] as JsonValue) : null);
    });
    return out;
  }),
];
