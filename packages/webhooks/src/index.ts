export { type DeliveryResult, deliverWebhook, type WebhookSettings } from "./deliver.ts";
export { checkDestination, type DestinationCheck, isBlockedAddress, type Resolve } from "./destination.ts";
export { type SignedHeaders, signWebhook } from "./sign.ts";
