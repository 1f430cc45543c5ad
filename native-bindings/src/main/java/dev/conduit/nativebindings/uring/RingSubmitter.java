package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;

/**
 * When and how a ring calls io_uring_enter: publish the prepared SQEs, submit them in one call,
 * wait for completions, and cope with the transient errors. Keeps no count of its own; the caller
 * passes its in-flight total.
 *
 * <ul>
 *   <li>EINTR: the call is repeated (what was already submitted is not submitted twice: the count
 *       to submit is recomputed from the kernel's SQ head each time).</li>
 *   <li>EAGAIN / EBUSY: the kernel is short of request memory or its CQ overflow backlog is full.
 *       If completions are ready, control goes back to the caller to reap them; otherwise it waits
 *       for one completion and tries again.</li>
 *   <li>A short submission (the kernel stops at a request it cannot start, after posting a CQE for
 *       it) is followed by another call for the rest.</li>
 * </ul>
 *
 * <p>Every call goes through {@link IoUringSyscall#enterCapturingOnlyFailures}, which captures errno
 * only for a failed call (by making it again), so a steady ring allocates nothing per call; every
 * caller here retries EINTR, as that needs.
 *
 * <p>With SQPOLL nothing is submitted by syscall: the tail store is enough while the kernel thread
 * is awake, and io_uring_enter is only used to wake it (IORING_SQ_NEED_WAKEUP) or to wait.
 *
 * <p>Threading: owner thread only (see {@link IoUring}).
 */
final class RingSubmitter
{
    private static final int CQ_NEEDS_ENTER =
        IoUringParamsDescriptor.IORING_SQ_CQ_OVERFLOW | IoUringParamsDescriptor.IORING_SQ_TASKRUN;

    private final int ringFd;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final boolean sqPoll;

    RingSubmitter(final int ringFd, final SubmissionQueue sq, final CompletionQueue cq, final boolean sqPoll)
    {
        this.ringFd = ringFd;
        this.sq = sq;
        this.cq = cq;
        this.sqPoll = sqPoll;
    }

    /**
     * Submits everything prepared and waits until {@code minComplete} CQEs are ready, capped at
     * {@code inFlight} because waiting for completions that can never come would block forever.
     *
     * @return SQEs handed to the kernel by this call.
     * @throws NativeException for an io_uring_enter failure other than EINTR, EAGAIN, EBUSY.
     */
    int submitAndAwait(final int minComplete, final int inFlight)
    {
        final int waitFor = Math.min(minComplete, inFlight);
        if (sqPoll)
        {
            final int published = sq.unpublished();
            sq.publish();
            awaitSqPoll(waitFor);
            return published;
        }
        return enterUntilSubmitted(waitFor, inFlight);
    }

    /** Lets the kernel post completions it holds back (overflow backlog, deferred task work). */
    void flushCompletionsIfNeeded()
    {
        if (cq.ready() != 0 || (sq.flags() & CQ_NEEDS_ENTER) == 0)
        {
            return;
        }
        final int rc = enterRetryingEintr(0, 0, IoUringSyscall.IORING_ENTER_GETEVENTS);
        if (rc < 0 && rc != -Errno.EAGAIN && rc != -Errno.EBUSY)
        {
            throw enterFailure(0, 0, IoUringSyscall.IORING_ENTER_GETEVENTS, rc);
        }
    }

    private int enterUntilSubmitted(final int waitFor, final int inFlight)
    {
        int submitted = 0;
        while (true)
        {
            final int toSubmit = sq.publish();
            final boolean waitNeeded = cq.ready() < waitFor;
            final int flags = waitNeeded || (sq.flags() & CQ_NEEDS_ENTER) != 0 ? IoUringSyscall.IORING_ENTER_GETEVENTS : 0;
            if (toSubmit == 0 && flags == 0)
            {
                return submitted;
            }
            final int rc = IoUringSyscall.enterCapturingOnlyFailures(ringFd, toSubmit, waitNeeded ? waitFor : 0, flags);
            if (rc >= 0)
            {
                submitted += rc;
                // Go round again unless all went in, or the kernel took none and there is nothing to wait for.
                if (cq.ready() >= waitFor && (rc == 0 || sq.unconsumed() == 0))
                {
                    return submitted;
                }
            }
            else if (rc == -Errno.EAGAIN || rc == -Errno.EBUSY)
            {
                if (cq.ready() > 0 || awaitingKernel(inFlight) == 0)
                {
                    return submitted;
                }
                awaitOneCompletion();
            }
            else if (rc != -Errno.EINTR)
            {
                throw enterFailure(toSubmit, waitFor, flags, rc);
            }
        }
    }

    private void awaitSqPoll(final int waitFor)
    {
        while (true)
        {
            int flags = (sq.flagsAfterFence() & IoUringParamsDescriptor.IORING_SQ_NEED_WAKEUP) != 0
                ? IoUringSyscall.IORING_ENTER_SQ_WAKEUP : 0;
            final boolean waitNeeded = cq.ready() < waitFor;
            if (waitNeeded || (sq.flags() & CQ_NEEDS_ENTER) != 0)
            {
                flags |= IoUringSyscall.IORING_ENTER_GETEVENTS;
            }
            if (flags == 0)
            {
                return;
            }
            final int rc = IoUringSyscall.enterCapturingOnlyFailures(ringFd, 0, waitNeeded ? waitFor : 0, flags);
            if (rc < 0 && rc != -Errno.EINTR && rc != -Errno.EAGAIN && rc != -Errno.EBUSY)
            {
                throw enterFailure(0, waitFor, flags, rc);
            }
            if (rc >= 0 && cq.ready() >= waitFor)
            {
                return;
            }
        }
    }

    /**
     * @param inFlight requests prepared and not yet reaped (submitting does not change it).
     * @return requests the kernel has taken whose completions are not yet in the CQ.
     */
    private int awaitingKernel(final int inFlight)
    {
        return inFlight - sq.unpublished() - sq.unconsumed() - cq.ready();
    }

    private void awaitOneCompletion()
    {
        final int rc = enterRetryingEintr(0, 1, IoUringSyscall.IORING_ENTER_GETEVENTS);
        if (rc < 0)
        {
            throw enterFailure(0, 1, IoUringSyscall.IORING_ENTER_GETEVENTS, rc);
        }
    }

    private int enterRetryingEintr(final int toSubmit, final int minComplete, final int flags)
    {
        int rc;
        do
        {
            rc = IoUringSyscall.enterCapturingOnlyFailures(ringFd, toSubmit, minComplete, flags);
        }
        while (rc == -Errno.EINTR);
        return rc;
    }

    private NativeException enterFailure(final int toSubmit, final int minComplete, final int flags, final int rc)
    {
        return NativeException.errno("io_uring_enter(fd=" + ringFd + ", to_submit=" + toSubmit + ", min_complete="
            + minComplete + ", flags=0x" + Integer.toHexString(flags) + ")", -rc);
    }
}
