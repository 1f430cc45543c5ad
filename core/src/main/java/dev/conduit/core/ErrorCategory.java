package dev.conduit.core;

/**
 * How a caller should react to a failure, whatever its native origin.
 */
public enum ErrorCategory
{
    /** The request was wrong (bad argument, missing key, unaligned buffer); retrying it unchanged fails again. */
    CLIENT,
    /** The request may succeed if retried later (ring full, deadline passed, interrupted, cancelled). */
    TRANSIENT,
    /** The medium returned an error or bytes that fail their checksum; the data may need repair. */
    MEDIA,
    /** A resource the request needs is missing or exhausted (space, memory, a library, a device, a closed component). */
    UNAVAILABLE,
    /** The component cannot continue safely and must be reopened or restarted. */
    FATAL
}
