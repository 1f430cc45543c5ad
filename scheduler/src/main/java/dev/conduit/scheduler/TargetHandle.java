package dev.conduit.scheduler;

/**
 * A {@link DeviceTarget} attached to one {@link IoDevice}: requests name a handle, which routes them
 * to the device's ring. Made by {@link IoDevice#attach(DeviceTarget)}; {@link IoDevice#detach} ends
 * it: requests naming it are refused from then on, and once those already submitted have completed
 * its index (and the io_uring registered-file slot with that index) is reused by a later attach.
 *
 * <p>Threading: immutable apart from its attachment state; share it freely.
 */
public final class TargetHandle
{
    private final IoDevice device;
    private final DeviceTarget target;
    private final int index;
    private volatile int state = ATTACHED;
    private static final int ATTACHED = 0;
    private static final int DETACHING = 1;
    private static final int DETACHED = 2;

    TargetHandle(final IoDevice device, final DeviceTarget target, final int index)
    {
        this.device = device;
        this.target = target;
        this.index = index;
    }

    /** @return the device whose queue serves this target. */
    public IoDevice device()
    {
        return device;
    }

    /** @return the target. */
    public DeviceTarget target()
    {
        return target;
    }

    /** @return this target's index among the device's attached targets (a registered-file slot for io_uring). */
    public int index()
    {
        return index;
    }

    /** @return true until {@link IoDevice#detach} is called. */
    public boolean isAttached()
    {
        return state == ATTACHED;
    }

    /** @return true once the detach has taken effect (the index may already name another target). */
    public boolean isDetached()
    {
        return state == DETACHED;
    }

    /** @return true when this call started the detach (the caller holds the device's lock). */
    boolean beginDetach()
    {
        if (state != ATTACHED)
        {
            return false;
        }
        state = DETACHING;
        return true;
    }

    void markDetached()
    {
        state = DETACHED;
    }

    @Override
    public String toString()
    {
        return device.name() + "/" + target.name();
    }
}
