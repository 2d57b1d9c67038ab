export { startProduct, type ProductOptions, type RunningProduct, type StandaloneConfig } from "./start-product.js";
export { loadStandaloneConfig, standaloneConfigSchema } from "./config.js";
export { rolesFor, type Role, type Roles } from "./roles.js";
