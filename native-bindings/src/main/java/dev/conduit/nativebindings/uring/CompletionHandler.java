package dev.conduit.nativebindings.uring;

/**
 * Receives completions from {@link IoUring#reap(CompletionHandler)}, one call per CQE, on the
 * ring's owner thread. Implementations should be preallocated objects (not capturing lambdas) so
 * that reaping allocates nothing.
 */
@FunctionalInterface
public interface CompletionHandler
{
    /**
     * One completed request.
     *
     * @param userData the value passed to the {@code tryPrep...} call.
     * @param result   bytes transferred or 0 on success, {@code -errno} on failure (see
     *                 {@link CompletionResult}).
     * @param flags    {@code IORING_CQE_F_*} bits.
     */
    void onComplete(long userData, int result, int flags);
}
