package dev.conduit.blocklayout;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * A write planned from records that changed before it could publish (a compose whose part was
 * replaced, a metadata replace whose key was rewritten). Nothing was journaled; the planner reads
 * the records again and retries, and reports this ({@code PRECONDITION_FAILED}) only when the
 * records keep changing under it.
 */
final class StaleWriteException extends ConduitException
{
    private static final long serialVersionUID = 1L;

    StaleWriteException(final String message)
    {
        super(ErrorCode.PRECONDITION_FAILED, message);
    }
}
