package dev.cellar.store.s3;

import dev.cellar.StoreException;
import dev.cellar.store.BlobStore;
import dev.cellar.store.PipelinedSha256;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Payload objects in one bucket under one prefix. Thread-safe (the SDK client is). Objects are
 * immutable: a name is the digest of the bytes, so an upload of an existing name is skipped.
 */
public final class S3BlobStore implements BlobStore {
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}");

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    /** Whether the server takes conditional writes; AWS S3 and S3Proxy 2.9.0 do; a 501 turns them off. */
    private volatile boolean conditional = true;

    private S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /**
     * Opens {@code s3://bucket/prefix}. {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL},
     * {@code AWS_REGION} and {@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} are taken from
     * {@code env} when set there (so a caller can pass another process's settings); otherwise the SDK's
     * standard chain (system properties, profiles, instance roles) applies.
     *
     * @throws IllegalArgumentException if the URL is not {@code s3://bucket[/prefix]}
     */
    public static S3BlobStore open(String url, Map<String, String> env) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("s3://") || url.length() <= 5) {
            throw new IllegalArgumentException("CELLAR_SHARED_BLOBS must look like s3://bucket/prefix, got "
                    + url.replaceAll("[^\\p{Graph}]", "?"));
        }
        String rest = url.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,62}")) {
            throw new IllegalArgumentException("not an S3 bucket name: " + bucket.replaceAll("[^\\p{Graph}]", "?"));
        }
        S3ClientBuilder b = S3Client.builder()
                // third-party servers (S3Proxy, MinIO, Ceph...) reject the SDK's default trailing checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofMinutes(10)));
        String endpoint = firstSet(env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"));
        if (endpoint != null) {
            // a self-hosted endpoint has no per-bucket DNS names
            b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        String region = env.get("AWS_REGION");
        b.region(region != null && !region.isBlank() ? Region.of(region) : region());
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && secret != null) {
            String token = env.get("AWS_SESSION_TOKEN");
            b.credentialsProvider(StaticCredentialsProvider.create(token == null
                    ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token)));
        }
        return new S3BlobStore(b.build(), bucket, prefix);
    }

    private static Region region() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            return Region.US_EAST_1; // S3-compatible servers ignore it; AWS redirects us
        }
    }

    private static String firstSet(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }

    private String objectKey(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a payload object name: " + name);
        }
        String tail = "objects/" + name.substring(0, 2) + "/" + name;
        return prefix.isEmpty() ? tail : prefix + "/" + tail;
    }

    private String listPrefix() {
        return prefix.isEmpty() ? "objects/" : prefix + "/objects/";
    }

    @Override
    public boolean exists(String name, long size) {
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(objectKey(name)));
            return head.contentLength() != null && head.contentLength() == size;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("look up", name, e);
        } catch (SdkException e) {
            throw failure("look up", name, e);
        }
    }

    @Override
    public void put(String name, Path file, long size) {
        if (exists(name, size)) {
            return; // content-addressed: these bytes are there already and are not sent again
        }
        if (!conditional) {
            putObject(name, file, size, false);
            return;
        }
        // Conditional, so that writers racing on the same content never replace each other's finished
        // object. The HEAD above stays: S3Proxy answers 412 before reading the body, but a client under
        // load has often started sending it by then and sees a broken pipe (seen in the shared
        // concurrency test), so the usual duplicate is caught before any body is sent.
        try {
            putObject(name, file, size, true);
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                // there already (412), or another writer is finishing it right now (409); if what is there
                // has another size it is damaged: replace it (an object's bytes are its name, so replacing
                // a good one would write the same bytes, atomically for readers)
                if (!exists(name, size)) {
                    putObject(name, file, size, false);
                }
            } else if (e.statusCode() == 501 || e.statusCode() == 400 && "NotImplemented".equals(code(e))) {
                conditional = false; // a server without conditional writes: HEAD, then a plain PUT
                put(name, file, size);
            } else {
                throw failure("upload", name, e);
            }
        } catch (StoreException e) {
            // a connection cut while a racing writer's object appeared (the server refused us mid-body)
            if (!exists(name, size)) {
                throw e;
            }
        }
    }

    private static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** False once the server refused a conditional write as not implemented. */
    boolean conditionalWrites() {
        return conditional;
    }

    /** {@code ifAbsent}: with {@code If-None-Match: *}, so a finished object is never overwritten. */
    private void putObject(String name, Path file, long size, boolean ifAbsent) {
        try {
            s3.putObject(r -> {
                r.bucket(bucket).key(objectKey(name)).contentLength(size);
                if (ifAbsent) {
                    r.ifNoneMatch("*");
                }
            }, RequestBody.fromFile(file));
        } catch (S3Exception e) {
            if (ifAbsent) {
                throw e; // the caller decides
            }
            throw failure("upload", name, e);
        } catch (SdkException e) {
            throw failure("upload", name, e);
        }
    }

    @Override
    public String get(String name, Path target) {
        // the digest is computed on a second thread from the very buffers written to the file: the check
        // of every download costs no pass and no copy of its own
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(objectKey(name)));
                FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                PipelinedSha256 sha = new PipelinedSha256()) {
            while (true) {
                byte[] buf = sha.buffer();
                int n = in.readNBytes(buf, 0, buf.length);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                sha.submit(buf, n);
                if (n < buf.length) {
                    return sha.hex();
                }
            }
        } catch (NoSuchKeyException e) {
            return null;
        } catch (SdkException e) {
            throw failure("download", name, e);
        } catch (IOException e) {
            throw new StoreException("S3 download of object " + name.substring(0, 12) + "… from " + location()
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String name) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(objectKey(name)));
        } catch (SdkException e) {
            throw failure("delete", name, e);
        }
    }

    @Override
    public List<String> listOlderThan(long beforeMillis) {
        List<String> out = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(listPrefix())).contents()) {
                String key = o.key();
                String name = key.substring(key.lastIndexOf('/') + 1);
                if (NAME.matcher(name).matches() && o.lastModified().toEpochMilli() < beforeMillis) {
                    out.add(name);
                }
            }
        } catch (SdkException e) {
            throw failure("list", "", e);
        }
        return out;
    }

    @Override
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** The SDK's messages name the request, never the secret key; they are still cut to one line. */
    private StoreException failure(String what, String name, SdkException e) {
        String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        String object = name.isEmpty() ? "" : " of object " + name.substring(0, Math.min(12, name.length())) + "…";
        return new StoreException("S3 " + what + object + " in " + location() + " failed: " + msg, e);
    }

    @Override
    public void close() {
        s3.close();
    }
}
