// The manifest's JSON Schema for editors (`serverokey schema`), generated from the zod schema the
// runtime and the validator use, so the three never disagree.
import { z } from 'zod';
import { manifestSchema } from '../manifest/schema.js';

export function manifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(manifestSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...generated,
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Serverokey manifest',
    description:
      'An application for the Serverokey engine: connectors (data), components (templates), routes (pages and actions), ' +
      'sockets (real-time channels), auth and launch. Check an app with `serverokey validate`.',
  };
}
