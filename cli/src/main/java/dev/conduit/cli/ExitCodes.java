package dev.conduit.cli;

import dev.conduit.core.ConduitException;

/**
 * Exit codes of the {@code conduit} command, stable for scripts (sysexits-style where one fits).
 */
public final class ExitCodes
{
    /** Success. */
    public static final int OK = 0;
    /** An operation failed (generic). */
    public static final int FAILURE = 1;
    /** Bad command line or configuration (picocli's own usage error code). */
    public static final int USAGE = 2;
    /** The requested key or file does not exist. */
    public static final int NOT_FOUND = 3;
    /** fsck found damage. */
    public static final int DAMAGED = 4;
    /** Out of space. */
    public static final int NO_SPACE = 5;
    /** {@code serve}: the address and port to listen on are taken by another process. */
    public static final int ADDRESS_IN_USE = 6;
    /** An I/O error from the operating system. */
    public static final int IO_ERROR = 74;

    private ExitCodes()
    {
    }

    /**
     * @param e a failure.
     * @return the exit code for its {@link ConduitException#code()} (errno-backed failures map through the same codes: ENOENT is NOT_FOUND, ENOSPC NO_SPACE, EIO IO_ERROR).
     */
    public static int of(final ConduitException e)
    {
        return switch (e.code())
        {
            case NOT_FOUND -> NOT_FOUND;
            case NO_SPACE -> NO_SPACE;
            case IO_ERROR, SHORT_READ -> IO_ERROR;
            case CORRUPT_EXTENT, CORRUPT -> DAMAGED;
            case CONFIG_INVALID -> USAGE;
            case ADDRESS_IN_USE -> ADDRESS_IN_USE;
            default -> FAILURE;
        };
    }
}
