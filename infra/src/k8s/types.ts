/** A Kubernetes object as plain data (kubectl applies it as JSON). */
export type K8sObject = Record<string, unknown> & { readonly apiVersion: string; readonly kind: string };

export const APP_NAMESPACE = "video-processor";
export const MONITORING_NAMESPACE = "monitoring";
/** The seed's store name, kept so existing ExternalSecrets keep working. */
export const SECRET_STORE = "hackaton-secret-store";
