// Fields of a GraphQL input type as the start form shows them: read from the API's
// introspection, so the form shows the API's own defaults and descriptions.
import type { DashboardInputFieldsQuery } from '../../generated/graphql.js';

export type IntrospectedField = NonNullable<NonNullable<DashboardInputFieldsQuery['__type']>['inputFields']>[number];

export interface InputField {
  name: string;
  description: string | null;
  type: 'Int' | 'Float' | 'Boolean' | 'text' | 'enum' | 'list';
  enumValues: string[];
  /** Non-null without a default: the form must send it. */
  required: boolean;
  /** The default as the form shows it; '' when there is none. */
  defaultText: string;
}

function scalarType(name: string | null): InputField['type'] {
  return name === 'Int' || name === 'Float' || name === 'Boolean' ? name : 'text';
}

/** The default value literal (GraphQL syntax) as form text: `15`, `FAIL`, `["a"]` → a. */
function defaultText(literal: string | null): string {
  if (literal === null) return '';
  if (literal.startsWith('"') || literal.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(literal);
      return Array.isArray(value) ? value.join(', ') : String(value);
    } catch {
      return literal;
    }
  }
  return literal;
}

export function describeField(field: IntrospectedField): InputField {
  const nonNull = field.type.kind === 'NON_NULL';
  const named = nonNull && field.type.ofType ? field.type.ofType : field.type;
  const type: InputField['type'] = named.kind === 'ENUM' ? 'enum' : named.kind === 'LIST' ? 'list' : scalarType(named.name);
  return {
    name: field.name,
    description: field.description,
    type,
    enumValues: named.enumValues?.map((v) => v.name) ?? [],
    required: nonNull && field.defaultValue === null,
    defaultText: defaultText(field.defaultValue),
  };
}

export type ParsedValue = { value: unknown } | { omit: true } | { error: string };

/** Form text to an input value; empty text leaves the field to the API's default (or null). */
export function parseFieldValue(field: InputField, raw: string): ParsedValue {
  const text = raw.trim();
  if (text === '') return field.required ? { error: `${field.name} is required` } : { omit: true };
  switch (field.type) {
    case 'Int':
      return /^[+-]?\d+$/.test(text) ? { value: Number(text) } : { error: `${field.name} must be a whole number (got "${text}")` };
    case 'Float': {
      const value = Number(text);
      return Number.isFinite(value) ? { value } : { error: `${field.name} must be a number (got "${text}")` };
    }
    case 'Boolean':
      return text === 'true' || text === 'false' ? { value: text === 'true' } : { error: `${field.name} must be true or false` };
    case 'enum':
      return field.enumValues.includes(text) ? { value: text } : { error: `${field.name} must be one of ${field.enumValues.join(', ')}` };
    case 'list':
      return { value: text.split(',').map((t) => t.trim()).filter(Boolean) };
    case 'text':
      return { value: text };
  }
}
