// The rules of the API's query parameters (bounds, enums, list lengths, descriptions), read from
// the backend's OpenAPI document itself, so the SPA never repeats them. `schema.ts` carries the
// same document as types (and `npm run check:api` keeps the two in step); the numbers live only
// here. Only the `paths` part of the document is bundled.
import { paths } from '../../openapi.json';

interface SchemaNode {
  type?: string;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  maxLength?: number;
  items?: SchemaNode;
  anyOf?: readonly SchemaNode[];
}

interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema?: SchemaNode;
}

interface Operation {
  operationId?: string;
  parameters?: readonly Parameter[];
}

type PathItem = Partial<Record<'get' | 'post', Operation>>;

const PATHS: Record<string, PathItem | undefined> = paths;

/** What one query parameter accepts; for a list parameter the value rules are its items'. */
export interface ParamRules {
  name: string;
  description: string;
  /** Repeated parameter (tag=a&tag=b). */
  list: boolean;
  integer: boolean;
  /** The accepted values, in the document's order. */
  enum: readonly string[] | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  exclusiveMinimum: number | undefined;
  /** Most values of a list parameter. */
  maxItems: number | undefined;
  /** Longest value (a list's items, or the value itself). */
  maxLength: number | undefined;
}

/** `anyOf: [{...}, {type: 'null'}]` (an optional value) reads as its non-null branch. */
function nonNull(schema: SchemaNode): SchemaNode {
  const branch = schema.anyOf?.find((option) => option.type !== 'null');
  return branch ? { ...schema, ...branch } : schema;
}

function toRules(parameter: Parameter): ParamRules {
  const schema = nonNull(parameter.schema ?? {});
  const list = schema.type === 'array';
  const value = list ? nonNull(schema.items ?? {}) : schema;
  return {
    name: parameter.name,
    description: parameter.description ?? '',
    list,
    integer: value.type === 'integer',
    enum: value.enum?.filter((item): item is string => typeof item === 'string'),
    minimum: value.minimum,
    maximum: value.maximum,
    exclusiveMinimum: value.exclusiveMinimum,
    maxItems: list ? schema.maxItems : undefined,
    maxLength: value.maxLength,
  };
}

/** Every query parameter of one operation, in the document's order. */
export function queryParams(path: string, method: 'get' | 'post' = 'get'): ParamRules[] {
  const operation = PATHS[path]?.[method];
  if (!operation) throw new Error(`openapi.json has no ${method.toUpperCase()} ${path}`);
  return (operation.parameters ?? []).filter((p) => p.in === 'query').map(toRules);
}

/** One query parameter; a name the API does not declare is a programming error. */
export function queryParam(path: string, name: string): ParamRules {
  const found = queryParams(path).find((rules) => rules.name === name);
  if (!found) throw new Error(`openapi.json declares no query parameter ${name} on ${path}`);
  return found;
}
