/**
 * Large payloads of the shared tier in S3 or any S3-compatible server
 * ({@link dev.cellar.store.s3.S3BlobStore}, a {@link dev.cellar.store.BlobStore}). The only package
 * importing the AWS SDK; it may import the vocabulary of {@code dev.cellar}, {@code dev.cellar.store} and the JDK.
 *
 * <p>Endpoint, region and credentials come from the SDK's standard chain ({@code AWS_ENDPOINT_URL_S3}
 * or {@code AWS_ENDPOINT_URL}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}..., profiles). Objects are
 * named {@code prefix/objects/ab/<sha-256 hex>}; request checksums are computed only when an operation
 * requires them, because third-party servers reject the SDK's default trailing checksums. Uploads are
 * conditional ({@code If-None-Match: *}) where the server supports it, so a finished object is never
 * overwritten; a HEAD before them finds duplicates, whose bytes are not sent.
 */
package dev.cellar.store.s3;
