package dev.cellar.kernel.maven;

/** A coordinate, POM or repository that cannot be used; the message says which and why, for a user. */
public final class MavenException extends Exception {
    MavenException(String message) {
        super(message, null, false, false);
    }
}
