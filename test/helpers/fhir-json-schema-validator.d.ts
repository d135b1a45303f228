/** The package ships no types: its one class, as its README describes it. */
declare module '@asymmetrik/fhir-json-schema-validator' {
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    /** The validation errors; empty when the resource is valid FHIR R4. */
    validate(resource: unknown, verbose?: boolean): unknown[];
  }
}
