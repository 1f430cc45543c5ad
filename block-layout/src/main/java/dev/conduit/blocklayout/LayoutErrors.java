package dev.conduit.blocklayout;

import dev.conduit.nativebindings.ConduitException;

/**
 * The stable error codes of the object store and one factory per code, so every site that raises
 * one says the same thing the same way. Codes are never reused for another meaning.
 */
public final class LayoutErrors
{
    /** Not a Conduit namespace, or a geometry the format cannot describe. */
    public static final String BAD_FORMAT = "BAD_FORMAT";
    /** A Conduit structure with a version this build does not read. */
    public static final String UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION";
    /** A metadata structure (superblock, journal, checkpoint, record) failed its checksum or bounds. */
    public static final String CORRUPT = "CORRUPT";
    /** Object data failed its chunk checksum. */
    public static final String CORRUPT_EXTENT = "CORRUPT_EXTENT";
    /** A namespace that belongs to another store, or a set of namespaces that does not form one. */
    public static final String FOREIGN_NAMESPACE = "FOREIGN_NAMESPACE";
    /** No such key. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** Not enough free space (the ENOSPC of the store). */
    public static final String NO_SPACE = "NO_SPACE";
    /** Key longer than 1024 UTF-8 bytes. */
    public static final String KEY_TOO_LONG = "KEY_TOO_LONG";
    /** Empty key or a key that is not valid UTF-8. */
    public static final String INVALID_KEY = "INVALID_KEY";
    /** User metadata over 8 KiB, or a content type over 255 bytes. */
    public static final String METADATA_TOO_LARGE = "METADATA_TOO_LARGE";
    /** The journal could not be written; the store refuses writes until reopened. */
    public static final String STORE_FAILED = "STORE_FAILED";
    /** The store was closed. */
    public static final String STORE_CLOSED = "STORE_CLOSED";
    /** Another process holds the data directory. */
    public static final String STORE_LOCKED = "STORE_LOCKED";
    /** The data directory already holds a store. */
    public static final String ALREADY_FORMATTED = "ALREADY_FORMATTED";
    /** Fewer (or more) bytes arrived from the caller's stream than announced. */
    public static final String SIZE_MISMATCH = "SIZE_MISMATCH";
    /** The content's MD5 differs from the one the client announced (S3 {@code BadDigest}). */
    public static final String DIGEST_MISMATCH = "DIGEST_MISMATCH";

    private LayoutErrors()
    {
    }

    /**
     * @param code    one of the constants above.
     * @param message detail naming what failed.
     * @return an ERROR-category exception.
     */
    public static ConduitException error(final String code, final String message)
    {
        return new ConduitException(code, ConduitException.Category.ERROR, message);
    }

    /**
     * @param code    one of the constants above.
     * @param message detail naming what failed.
     * @param cause   the underlying failure.
     * @return an ERROR-category exception.
     */
    public static ConduitException error(final String code, final String message, final Throwable cause)
    {
        return new ConduitException(code, ConduitException.Category.ERROR, message, cause);
    }

    /**
     * @param key the missing key.
     * @return {@code NOT_FOUND}.
     */
    public static ConduitException notFound(final String key)
    {
        return error(NOT_FOUND, "no such key: " + key);
    }

    /**
     * @param what    the structure, e.g. "checkpoint".
     * @param message what is wrong with it.
     * @return {@code CORRUPT}.
     */
    public static ConduitException corrupt(final String what, final String message)
    {
        return error(CORRUPT, what + ": " + message);
    }
}
