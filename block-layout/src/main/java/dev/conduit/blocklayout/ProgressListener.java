package dev.conduit.blocklayout;

/**
 * Progress of a long operation (a large put or get, fsck), called on the operation's thread after
 * each step. Implementations must be cheap; the CLI draws a bar on stderr.
 */
@FunctionalInterface
public interface ProgressListener
{
    /** Ignores progress. */
    ProgressListener NONE = (done, total) ->
    {
    };

    /**
     * @param done  units done so far (bytes or objects).
     * @param total units in all; 0 when unknown.
     */
    void onProgress(long done, long total);
}
