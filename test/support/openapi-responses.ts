import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Doc = {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >;
  components?: { schemas?: Record<string, object> };
};

/**
 * Checks real answers against the OpenAPI document the server publishes: each JSON answer must
 * match the schema its route declares for its status. Collects what does not, for the suite to fail on.
 */
export class OpenApiResponses {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: { method: string; pattern: RegExp; template: string }[];
  private readonly validators = new Map<string, ValidateFunction | null>();
  readonly problems: string[] = [];
  checked = 0;

  constructor(private readonly doc: Doc) {
    addFormats(this.ajv);
    this.ajv.addSchema({ components: doc.components ?? {} }, 'doc');
    this.routes = Object.entries(doc.paths).flatMap(([template, operations]) =>
      Object.keys(operations).map((method) => ({
        method: method.toUpperCase(),
        template,
        // Express matches a path with a trailing slash as the route without it.
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      })),
    );
  }

  check(method: string, url: string, status: number, body: unknown): void {
    const path = url.split('?')[0] as string;
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    // A /v1 path no route matches can only be refused; an undocumented success would be a gap.
    if (!route) {
      if (status < 300 && path.startsWith('/v1'))
        this.problems.push(`${method} ${path}: ${status} from a path not in the document`);
      return;
    }
    const response = this.doc.paths[route.template]?.[method.toLowerCase()]?.responses?.[String(status)];
    if (!response) return void this.problems.push(`${method} ${route.template}: status ${status} not declared`);
    const validate = this.validator(
      `${method} ${route.template} ${status}`,
      response.content?.['application/json']?.schema,
    );
    if (!validate) return;
    this.checked++;
    if (!validate(body))
      this.problems.push(`${method} ${route.template} ${status}: ${this.ajv.errorsText(validate.errors)}`);
  }

  private validator(key: string, schema: object | undefined): ValidateFunction | null {
    if (!this.validators.has(key)) {
      // Local references point into the document's components.
      const rooted = schema && JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
      this.validators.set(key, rooted ? this.ajv.compile(rooted) : null);
    }
    return this.validators.get(key) ?? null;
  }
}
