package dev.conduit.objecttier;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request failed with an S3 error: the HTTP layer turns it into an XML error document with
 * {@link #error()}'s code and status, this message, and the resource it names.
 */
public final class S3Exception extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final S3Error error;
    private final String resource;
    private final Map<String, String> headers;

    /**
     * @param error    the S3 error.
     * @param message  what went wrong, shown to the client.
     * @param resource the bucket, key or upload the error is about (may be empty).
     */
    public S3Exception(final S3Error error, final String message, final String resource)
    {
        this(error, message, resource, null, Map.of());
    }

    private S3Exception(
        final S3Error error, final String message, final String resource, final Throwable cause, final Map<String, String> headers)
    {
        super(message, cause);
        this.error = error;
        this.resource = resource == null ? "" : resource;
        this.headers = Map.copyOf(headers);
    }

    /**
     * @param error    the S3 error.
     * @param message  what went wrong.
     * @param resource the bucket, key or upload it concerns.
     * @param cause    the underlying failure.
     */
    public S3Exception(final S3Error error, final String message, final String resource, final Throwable cause)
    {
        this(error, message, resource, cause, Map.of());
    }

    /**
     * @param error the S3 error, with its default message.
     * @param resource the resource it concerns.
     * @return the exception.
     */
    public static S3Exception of(final S3Error error, final String resource)
    {
        return new S3Exception(error, error.defaultMessage(), resource);
    }

    /** @return the S3 error. */
    public S3Error error()
    {
        return error;
    }

    /**
     * @param name  a response header the error is sent with (for example {@code x-amz-delete-marker}).
     * @param value its value.
     * @return this error with the header added.
     */
    public S3Exception withHeader(final String name, final String value)
    {
        final Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new S3Exception(error, getMessage(), resource, getCause(), more);
    }

    /** @return response headers the error is sent with (empty for most errors). */
    public Map<String, String> headers()
    {
        return headers;
    }

    /** @return the bucket, key or upload the error is about ("" when none). */
    public String resource()
    {
        return resource;
    }
}
