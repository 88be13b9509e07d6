/**
 * Fetching Client ID Metadata Documents without becoming a server-side request forgery tool:
 * {@link dev.entramcp.adapter.http.facade.cimd.AddressPolicy} says which addresses may be reached,
 * {@link dev.entramcp.adapter.http.facade.cimd.MetadataDocumentFetcher} resolves once, checks every
 * address, connects to a checked one, and reads at most so many bytes in so much time, following no
 * redirect.
 */
package dev.entramcp.adapter.http.facade.cimd;
