/** The GraphQL contract: type-graphql types over the domain. Import "reflect-metadata" before this module. */
export * from "./graphql/index.js";
