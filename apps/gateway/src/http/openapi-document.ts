import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { apiRoutes, openApiDocument } from '@gatehouse/contracts';

/**
 * The OpenAPI document served at /api/docs: made from the route declarations (apiRoutes), with
 * replies, errors and security schemes. Routes Nest serves that no declaration describes yet (the
 * health checks) are added from Nest's explorer as they are.
 */
export function publicOpenApiDocument(app: INestApplication): OpenAPIObject {
  const declared = openApiDocument(apiRoutes) as OpenAPIObject;
  const explored = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Gatehouse').setVersion('1').build());
  for (const [path, item] of Object.entries(explored.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const known = declared.paths[path] as Record<string, unknown> | undefined;
      if (known?.[method]) continue;
      declared.paths[path] = { ...declared.paths[path], [method]: operation };
    }
  }
  return declared;
}
