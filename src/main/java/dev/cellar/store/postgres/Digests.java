package dev.cellar.store.postgres;

import dev.cellar.StoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the name of a payload object and the check of every downloaded payload. */
final class Digests {
    private Digests() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String objectOf(PayloadRef ref) {
        return ref.kind() == PayloadRef.OBJECT ? ref.blob() : null;
    }

    /** @throws StoreException if a download is not the payload the entry recorded */
    static void check(PayloadRef ref, long size, String sha256) {
        if (size != ref.size()) {
            throw new DamagedPayloadException("payload '" + ref.name() + "' in the shared store is damaged: "
                    + size + " bytes instead of " + ref.size(), objectOf(ref));
        }
        if (!sha256.equals(ref.sha256())) {
            throw new DamagedPayloadException("payload '" + ref.name() + "' in the shared store is damaged:"
                    + " its checksum does not match", objectOf(ref));
        }
    }
}
