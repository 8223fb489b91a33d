/**
 * Validates request bodies against Discord's OpenAPI 3.1 description (`discord-openapi.json` beside
 * this file, see {@link defaultSpecPath}) with Ajv's JSON Schema draft 2020-12 validator.
 *
 * The operation is found by method + path template, its `requestBody` schema is compiled with every
 * `$ref` resolved inside the spec, and errors come back in Discord's 50035 "Invalid Form Body" shape.
 * One deviation from the spec, as Discord's documentation says: `permissions`, `allow` and `deny`
 * accept an integer or a string of decimal digits (the spec types them as integers).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";

const SPEC_ID = "discord-openapi.json";
/** Fields the README says take an integer or a string of digits. */
const BITFIELD_PROPERTIES = new Set(["permissions", "allow", "deny"]);

/**
 * Where the spec lives: `DISCORD_OPENAPI_PATH`, else the copy committed beside this file
 * (`discord-openapi.json`: Discord's official OpenAPI 3.1 description of API v10, repository
 * discord/discord-api-spec, `specs/openapi.json` at commit 74fda0fad044, 2026-07-18), so the tests
 * need nothing outside the repository.
 */
export function defaultSpecPath(): string {
  if (process.env.DISCORD_OPENAPI_PATH) return process.env.DISCORD_OPENAPI_PATH;
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "discord-openapi.json");
}

/** Discord's nested form-error object: `{ field: { _errors: [{ code, message }] } }`. */
export interface DiscordFormErrors {
  [key: string]: DiscordFormErrors | Array<{ code: string; message: string }>;
}

export interface ValidationResult {
  valid: boolean;
  /** Discord-shaped `errors` object for the 50035 body (empty when valid). */
  errors: DiscordFormErrors;
  /** Flat, readable list (`name: must NOT have fewer than 1 characters`) for the request log. */
  messages: string[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Replaces integer-typed bitfield properties with "integer or decimal-digit string" everywhere in the spec. */
function relaxBitfields(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) relaxBitfields(item);
    return;
  }
  if (!isObject(node)) return;
  const properties = node.properties;
  if (isObject(properties)) {
    for (const [name, schema] of Object.entries(properties)) {
      if (!BITFIELD_PROPERTIES.has(name) || !isObject(schema)) continue;
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!types.includes("integer")) continue;
      properties[name] = {
        anyOf: [
          { type: types.includes("null") ? ["integer", "null"] : "integer", minimum: 0 },
          { type: "string", pattern: "^[0-9]{1,40}$" },
        ],
      };
    }
  }
  for (const value of Object.values(node)) relaxBitfields(value);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

const FORM_ERROR_CODES: Record<string, string> = {
  required: "BASE_TYPE_REQUIRED",
  type: "BASE_TYPE_INVALID",
  minLength: "BASE_TYPE_BAD_LENGTH",
  maxLength: "BASE_TYPE_BAD_LENGTH",
  enum: "BASE_TYPE_CHOICES",
  const: "BASE_TYPE_CHOICES",
  minimum: "NUMBER_TYPE_MIN",
  maximum: "NUMBER_TYPE_MAX",
  maxItems: "BASE_TYPE_MAX_LENGTH",
  minItems: "BASE_TYPE_MIN_LENGTH",
  pattern: "STRING_TYPE_REGEX",
  format: "BASE_TYPE_INVALID",
  uniqueItems: "BASE_TYPE_DUPLICATES",
};

function toDiscordErrors(ajvErrors: ErrorObject[]): { errors: DiscordFormErrors; messages: string[] } {
  // Combinator errors (oneOf/anyOf) repeat what their branches said; keep them only when alone.
  const specific = ajvErrors.filter((e) => !["oneOf", "anyOf", "allOf", "if"].includes(e.keyword));
  const chosen = new Map<string, ErrorObject>();
  for (const error of specific.length > 0 ? specific : ajvErrors) {
    const segments = error.instancePath.split("/").slice(1);
    if (error.keyword === "required") segments.push(String(error.params.missingProperty));
    const key = segments.join("/");
    // One error per field, preferring the most telling one (not a bare "must be null" from a nullable branch).
    const previous = chosen.get(key);
    if (!previous || (previous.keyword === "type" && error.keyword !== "type")) chosen.set(key, error);
  }
  const errors: DiscordFormErrors = {};
  const messages: string[] = [];
  for (const [key, error] of chosen) {
    const segments = key === "" ? [] : key.split("/");
    const message =
      error.keyword === "required" ? "This field is required" : `${error.message ?? "is invalid"}`;
    const entry = { code: FORM_ERROR_CODES[error.keyword] ?? "BASE_TYPE_INVALID", message };
    let cursor = errors;
    for (const segment of segments) {
      const next = cursor[segment];
      if (!next || Array.isArray(next)) cursor[segment] = {};
      cursor = cursor[segment] as DiscordFormErrors;
    }
    const list = (cursor._errors as Array<{ code: string; message: string }> | undefined) ?? [];
    list.push(entry);
    cursor._errors = list;
    messages.push(`${segments.length > 0 ? segments.join(".") : "(body)"}: ${message}`);
  }
  return { errors, messages };
}

/** Compiles and caches request-body validators for the operations of Discord's OpenAPI spec. */
export class SpecValidator {
  private readonly ajv: Ajv2020;
  private readonly spec: JsonObject;
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(specPath: string = defaultSpecPath()) {
    this.spec = JSON.parse(readFileSync(specPath, "utf8")) as JsonObject;
    relaxBitfields(this.spec);
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    this.ajv.addFormat("int32", {
      type: "number",
      validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
    });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addFormat("double", { type: "number", validate: () => true });
    this.ajv.addFormat("nonce", true);
    this.ajv.addFormat("snowflake", /^(0|[1-9][0-9]*)$/);
    this.ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
    this.ajv.addFormat("uri", (s: string) => URL.canParse(s));
    this.ajv.addSchema(this.spec, SPEC_ID);
  }

  /** operationId of `method` on `template` (e.g. `post`, `/guilds/{guild_id}/roles`), if the spec has it. */
  operationId(method: string, template: string): string | null {
    const paths = this.spec.paths as Record<string, Record<string, { operationId?: string }>>;
    return paths[template]?.[method.toLowerCase()]?.operationId ?? null;
  }

  /** Whether the operation declares a JSON request body. */
  hasRequestBody(method: string, template: string): boolean {
    return this.validatorFor(method, template) !== null;
  }

  private validatorFor(method: string, template: string): ValidateFunction | null {
    const cacheKey = `${method.toLowerCase()} ${template}`;
    if (this.cache.has(cacheKey)) return this.cache.get(cacheKey) ?? null;
    const paths = this.spec.paths as Record<string, Record<string, JsonObject>>;
    const operation = paths[template]?.[method.toLowerCase()];
    const requestBody = operation?.requestBody as JsonObject | undefined;
    const content = requestBody?.content as Record<string, unknown> | undefined;
    let validate: ValidateFunction | null = null;
    if (content && "application/json" in content) {
      const pointer = ["paths", template, method.toLowerCase(), "requestBody", "content", "application/json", "schema"]
        .map(escapePointer)
        .join("/");
      validate = this.ajv.compile({ $ref: `${SPEC_ID}#/${pointer}` });
    }
    this.cache.set(cacheKey, validate);
    return validate;
  }

  /**
   * Validates `body` for `method` + `template`. Operations without a JSON request body accept anything.
   */
  validate(method: string, template: string, body: unknown): ValidationResult {
    const validate = this.validatorFor(method, template);
    if (!validate || validate(body)) return { valid: true, errors: {}, messages: [] };
    return { valid: false, ...toDiscordErrors(validate.errors ?? []) };
  }
}
