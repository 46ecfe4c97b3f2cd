/**
 * Plugin `validation`: what a request body may be and how every request part is checked.
 * Request parts are validated by the contract's Ajv compiler (src/http/validation.ts), JSON
 * bodies parsed by the strict UTF-8 parser (src/http/json-parser.ts), and a text/plain body
 * is a 415, not a string handed to the schema.
 */
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { installUtf8JsonParser } from '../json-parser.js';
import { validatorCompiler } from '../validation.js';

const register: FastifyPluginCallback = (app, _options, done) => {
  app.setValidatorCompiler(validatorCompiler);
  app.removeContentTypeParser('text/plain');
  installUtf8JsonParser(app);
  done();
};

/** The `validation` plugin (no dependencies); register it on the root before any route. */
export const validationPlugin = fp(register, { name: 'validation', fastify: '5.x' });
