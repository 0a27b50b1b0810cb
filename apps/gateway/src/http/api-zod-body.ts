import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

const openApiSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as SchemaObject;

/** Describes a request body in the OpenAPI document from the same zod schema the ZodPipe validates it with. */
export const ApiZodBody = (schema: z.ZodType) => ApiBody({ schema: openApiSchema(schema) });

/** Describes each query parameter in the OpenAPI document from the zod object the ZodPipe validates the query with. */
export const ApiZodQuery = (schema: z.ZodObject) =>
  applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) =>
      ApiQuery({ name, required: !(field as z.ZodType).safeParse(undefined).success, schema: openApiSchema(field as z.ZodType) }),
    ),
  );
