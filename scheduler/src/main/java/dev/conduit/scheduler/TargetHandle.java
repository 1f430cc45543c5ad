package dev.conduit.scheduler;

/**
 * A {@link DeviceTarget} attached to one {@link IoDevice}: requests name a handle, which routes them
 * to the device's ring. Made by {@link IoDevice#attach(DeviceTarget)}.
 *
 * <p>Threading: immutable; share it freely.
 */
public final class TargetHandle
{
    private final IoDevice device;
    private final DeviceTarget target;
    private final int index;

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

    @Override
    public String toString()
    {
        return device.name() + "/" + target.name();
    }
}
