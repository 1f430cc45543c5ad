package dev.conduit.scheduler;

/** What a request does to its target: read into the caller's buffer, or write from it. */
public enum IoOp
{
    /** Read bytes from the target into the buffer. */
    READ,
    /** Write bytes from the buffer to the target. */
    WRITE
}
